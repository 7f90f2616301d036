using System.Diagnostics;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;
using static TorchSharp.torch;

namespace SsdSharp.Bench;

/// <summary>
/// <c>bulk FOLDER [BATCH] [MODEL [PRESET]] [--device D]</c>: images per second of detection over every JPEG under
/// FOLDER (the bundled model by default, a <c>.pth</c> checkpoint with its preset, e.g. <c>voc300</c>; on the CPU
/// by default): the pipeline of <see cref="SsdDetector.DetectEach"/> against detection in
/// turns (decode a batch on every core, then run it, as <c>DetectFiles</c> did before the pipeline), each
/// twice, alternating; and the two ceilings, decoding and preprocessing alone on every core and the forward
/// pass alone. Figures in docs/scale.md.
/// </summary>
internal static class BulkBenchmark
{
    public static int Run(string[] args)
    {
        var device = ComputeDevice.Parse(BenchArguments.Option(args, "--device") ?? "cpu");
        args = BenchArguments.Without(args, "--device");
        if (args.Length == 0) return Usage();
        var paths = Directory.GetFiles(args[0], "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        int batch = args.Length > 1 ? int.Parse(args[1]) : 8;
        var model = args.Length > 2 ? args[2] : BundledModel();
        SsdConfig? config = null;
        if (args.Length > 3 && !SsdPresets.TryGet(args[3], out config)) return Usage();
        using var detector = SsdDetector.Load(model, new DetectorOptions { BatchSize = batch, Device = device }, config);
        Console.WriteLine($"{paths.Length} images, batch {batch}, {Environment.ProcessorCount} cores, libtorch threads {get_num_threads()}, " +
                          $"load average {Measure.LoadAverage()}; {detector.Config.Name}, {detector.Backend.Description}");
        _ = detector.DetectEach(paths.Take(2 * batch)).Count(); // warm-up

        for (int round = 1; round <= 2; round++)
        {
            var inTurns = Rate(paths.Length, () => InTurns(detector, paths, batch));
            var pipelined = Rate(paths.Length, () => detector.DetectEach(paths).Count());
            Console.WriteLine($"round {round}: in turns {inTurns}; pipelined {pipelined}; wall ratio {pipelined.Wall / inTurns.Wall:F3}; load average {Measure.LoadAverage()}");
        }

        var format = NetworkInputFormat.From(detector.Config);
        var decoding = Rate(paths.Length, () => Parallel.ForEach(paths, path =>
            Preprocess.ToNetworkInput(RgbImage.Decode(path), format, new float[format.Length])));
        var input = detector.Preprocess(paths.Take(batch).Select(RgbImage.Decode).ToArray());
        int passes = Math.Max(1, paths.Length / batch);
        var forward = Rate(passes * batch, () =>
        {
            for (int i = 0; i < passes; i++) detector.Backend.Run(input, batch);
        });
        Console.WriteLine($"ceilings: decode and preprocess alone {decoding}; forward pass alone {forward}");
        Console.WriteLine($"peak memory: {Measure.PeakMb():F0} MB");
        return 0;
    }

    /// <summary>
    /// Images per second of wall-clock time, and per second of this process's CPU time: what one core gives,
    /// the steadier figure when other processes share the cores.
    /// </summary>
    private readonly record struct Throughput(double Wall, double PerCpuSecond)
    {
        public override string ToString() => $"{Wall:F2} images/s ({PerCpuSecond:F2} per CPU-second)";
    }

    private static Throughput Rate(int images, Action run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        run();
        double wall = clock.Elapsed.TotalSeconds;
        return new Throughput(images / wall, images / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Detection without overlap: each batch is decoded (in parallel), then run, then post-processed.</summary>
    private static void InTurns(SsdDetector detector, string[] paths, int batch)
    {
        foreach (var chunk in paths.Chunk(batch))
        {
            var images = new RgbImage[chunk.Length];
            Parallel.For(0, chunk.Length, i => images[i] = RgbImage.Decode(chunk[i]));
            detector.Detect(images, chunk);
        }
    }

    internal static string BundledModel()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "models", "shapes300.safetensors");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("models/shapes300.safetensors not found above the benchmark; give MODEL");
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: SsdSharp.Bench bulk FOLDER [BATCH] [MODEL [PRESET]] [--device D]");
        return 2;
    }
}
