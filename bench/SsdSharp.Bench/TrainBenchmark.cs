using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;
using SsdSharp.Data.Synthetic;
using SsdSharp.Training;
using SsdSharp.Preprocessing;

namespace SsdSharp.Bench;

/// <summary>
/// <c>train CONFIG BATCH [ITERATIONS] [WORKERS] [--default-allocator]</c>: training throughput on a synthetic set
/// through the real loader (augmentation on), the share of step time spent waiting for data, and peak memory.
/// The first iteration (loader start-up, allocator warm-up) is not measured. As <c>ssd train</c>, it keeps freed
/// memory for reuse (<see cref="HostMemory"/>) unless <c>--default-allocator</c> asks for glibc's defaults.
/// </summary>
internal static class TrainBenchmark
{
    public static int Run(string[] args)
    {
        bool defaultAllocator = BenchArguments.Flag(ref args, "--default-allocator");
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: train CONFIG BATCH [ITERATIONS=4] [WORKERS=2] [--default-allocator]");
            return 2;
        }
        Console.Error.WriteLine(defaultAllocator ? "allocator: glibc's defaults"
            : $"allocator: freed memory kept for reuse ({(HostMemory.KeepFreedMemoryForReuse() ? "set" : "not available here")})");
        var config = SsdConfig.Load(args[0]);
        int batch = int.Parse(args[1]);
        int iterations = args.Length > 2 ? int.Parse(args[2]) : 4;
        int workers = args.Length > 3 ? int.Parse(args[3]) : 2;
        var root = Directory.CreateTempSubdirectory("ssd-train-bench").FullName;
        try
        {
            // Shapes have ids 1–5, valid for any configuration; the class names only matter for reading.
            SyntheticDataset.Generate(Path.Combine(root, "data"), new SyntheticDatasetOptions { Images = Math.Max(64, 2 * batch), Seed = 1 });
            var images = DatasetReader.Read($"VOC:{Path.Combine(root, "data")}", DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses)).Images;
            var options = TrainingOptions.For(config) with { Iterations = iterations + 1, BatchSize = batch, CheckpointEvery = 1_000_000 };
            using var trainer = Trainer.Create(config, options, Path.Combine(root, "run"));
            var source = new TrainingLoader(images, NetworkInputFormat.From(config), new LoaderOptions { BatchSize = batch, Workers = workers, Seed = 1 });
            var steps = new List<TrainingProgress>();
            trainer.Run(source, new SynchronousProgress<TrainingProgress>(p =>
            {
                steps.Add(p);
                Console.Error.WriteLine($"  iteration {p.Iteration}: {p.StepSeconds:F2} s (data wait {p.DataWaitSeconds:F3} s), loss {p.Loss:F3}");
            }));
            var measured = steps.Skip(1).ToList();
            double seconds = measured.Sum(p => p.StepSeconds), wait = measured.Sum(p => p.DataWaitSeconds);
            Console.WriteLine($"{config.Name} batch {batch}, {workers} workers, {measured.Count} measured iterations: " +
                $"{batch * measured.Count / seconds:F2} images/s, {seconds / measured.Count:F2} s/step, " +
                $"data wait {100 * wait / seconds:F1} % of step time, peak memory {Measure.PeakMb():F0} MB");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
