using System.Diagnostics;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Loading;
using SsdSharp.Data.Synthetic;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Preprocessing;
using SsdSharp.Training;
using SsdSharp.Weights;
using static TorchSharp.torch;

using static SsdSharp.Bench.BenchArguments;

namespace SsdSharp.Bench;

/// <summary>
/// <c>gpu --model MODEL --images DIR [--workers W] [--sections agreement,forward,throughput,scratch]</c>: the checks of docs/gpu.md on a
/// machine with an NVIDIA GPU (run by tools/gpu-check.sh): detections of a model on the CPU and on CUDA,
/// training losses on both from the same seed and batches, forward-pass and training-step timings on the
/// GPU, and whether voc300 stays finite from scratch under candidate recipes. Figures go to stdout.
/// </summary>
internal static class GpuCheck
{
    public static int Run(string[] args)
    {
        string model = BenchArguments.Option(args, "--model") ?? throw new ArgumentException("--model MODEL is required");
        string images = BenchArguments.Option(args, "--images") ?? throw new ArgumentException("--images DIR is required");
        int workers = int.Parse(BenchArguments.Option(args, "--workers") ?? Math.Max(1, Environment.ProcessorCount - 2).ToString());
        var sections = (BenchArguments.Option(args, "--sections") ?? "agreement,forward,throughput,scratch").Split(',');
        if (Devices.CudaDeviceCount == 0)
        {
            Console.WriteLine("no CUDA device: libtorch cannot use a GPU here (see docs/gpu.md)");
            return 1;
        }
        Console.WriteLine($"libtorch {__version__}, {Devices.CudaDeviceCount} CUDA device(s), cuDNN {(cuda.is_cudnn_available() ? "available" : "absent")}, {Environment.ProcessorCount} cores");
        var root = Directory.CreateTempSubdirectory("ssd-gpu-check").FullName;
        try
        {
            SyntheticDataset.Generate(Path.Combine(root, "data"), new SyntheticDatasetOptions { Images = 640, Seed = 1 });
            var training = DatasetReader.Read($"VOC:{Path.Combine(root, "data")}", DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses)).Images;
            if (sections.Contains("agreement"))
            {
                DetectionAgreement(model, images);
                TrainingAgreement(training, root);
            }
            if (sections.Contains("forward")) ForwardTimings();
            if (sections.Contains("throughput"))
            {
                Throughput(SsdPresets.Voc300 with { ClassNames = SsdPresets.ShapeClasses }, training, workers, root);
                Throughput(SsdPresets.Shapes300, training, workers, root);
            }
            if (sections.Contains("scratch")) ScratchStability(training, workers, root);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The same model on both devices through the same engine (libtorch; on the CPU the default would be ONNX
    /// Runtime, which the GPU bundle leaves out): detections at score ≥ 0.05 paired by class and overlap.
    /// </summary>
    private static void DetectionAgreement(string model, string folder)
    {
        var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order().ToList();
        var options = new DetectorOptions { Backend = InferenceBackendKind.LibTorch, Detection = new DetectionOptions { ConfidenceThreshold = 0.05 } };
        using var cpu = SsdDetector.Load(model, options with { Device = ComputeDevice.Cpu });
        using var gpu = SsdDetector.Load(model, options with { Device = ComputeDevice.Cuda() });
        int cpuCount = 0, gpuCount = 0, unpaired = 0;
        double scoreDiff = 0, boxDiff = 0;
        foreach (var file in files)
        {
            var a = cpu.Detect(file).Detections;
            var b = gpu.Detect(file).Detections;
            cpuCount += a.Count;
            gpuCount += b.Count;
            foreach (var d in a)
            {
                var match = b.Where(e => e.ClassId == d.ClassId).MaxBy(e => PixelBox.Iou(e.Box, d.Box));
                if (match is null || PixelBox.Iou(match.Box, d.Box) < 0.9)
                {
                    unpaired++;
                    continue;
                }
                scoreDiff = Math.Max(scoreDiff, Math.Abs(match.Score - d.Score));
                boxDiff = Math.Max(boxDiff, new[] { match.Box.X1 - d.Box.X1, match.Box.Y1 - d.Box.Y1, match.Box.X2 - d.Box.X2, match.Box.Y2 - d.Box.Y2 }.Max(Math.Abs));
            }
        }
        Console.WriteLine($"detections CPU vs CUDA ({files.Count} images, score ≥ 0.05): {cpuCount} vs {gpuCount}, unpaired {unpaired}, " +
                          $"max score difference {scoreDiff:G2}, max box difference {boxDiff:F3} px");
    }

    /// <summary>voc300 from the same seed on the same batches, 14 iterations of batch 8, on both devices.</summary>
    private static void TrainingAgreement(IReadOnlyList<ImageAnnotation> images, string root)
    {
        var config = SsdPresets.Voc300 with { ClassNames = SsdPresets.ShapeClasses };
        var options = TrainingOptions.For(config) with { Iterations = 14, BatchSize = 8, CheckpointEvery = 1_000_000, Seed = 3 };
        List<double> Losses(ComputeDevice device, string name)
        {
            using var trainer = Trainer.Create(config, options, Path.Combine(root, name), device: device);
            var losses = new List<double>();
            var clock = Stopwatch.StartNew();
            trainer.Run(Loader(config, images, options.BatchSize, 4, options.Seed), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)));
            Console.WriteLine($"  voc300 batch 8 on {device}: 14 iterations in {clock.Elapsed.TotalSeconds:F1} s, losses {string.Join(" ", losses.Select(l => l.ToString("F4")))}");
            return losses;
        }
        var onCpu = Losses(ComputeDevice.Cpu, "agree-cpu");
        var onGpu = Losses(ComputeDevice.Cuda(), "agree-gpu");
        double worst = onCpu.Zip(onGpu, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(a), 1e-12)).Max();
        Console.WriteLine($"training losses CPU vs CUDA (voc300, batch 8, seed 3, 14 iterations): largest relative difference {worst:G3}");
    }

    /// <summary>voc300 forward passes on the GPU in float32 and bfloat16, both layouts, batch 1/8/32.</summary>
    private static void ForwardTimings()
    {
        foreach (var precision in new[] { InferencePrecision.Float32, InferencePrecision.BFloat16 })
        {
            foreach (var layout in new[] { TensorLayout.Contiguous, TensorLayout.ChannelsLast })
            {
                var options = new DetectorOptions { Device = ComputeDevice.Cuda(), Precision = precision, Layout = layout };
                var network = new SsdNetwork(SsdPresets.Voc300);
                network.Initialize();
                using var backend = new LibTorchBackend(network, options);
                var line = new List<string>();
                foreach (int batch in new[] { 1, 8, 32 })
                {
                    var input = new float[batch * 3 * 300 * 300];
                    double whole = Measure.MedianMs(() => backend.Forward(input, batch), runs: 20, warmup: 5);
                    string pure = layout == TensorLayout.Contiguous ? $"{NetworkOnlyMs(backend.Network, batch, precision):F2} ms network only, " : "";
                    line.Add($"batch {batch}: {pure}{whole:F2} ms with the batch copied in and the outputs out");
                }
                Console.WriteLine($"voc300 forward, {backend.Description}: {string.Join("; ", line)}");
            }
        }
    }

    /// <summary>The network alone on an input already on the GPU, synchronised, median of 20 runs.</summary>
    private static double NetworkOnlyMs(SsdNetwork network, int batch, InferencePrecision precision)
    {
        var device = new Device(TorchSharp.DeviceType.CUDA, 0);
        using var input = randn(batch, 3, 300, 300).to(precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32, device);
        return Measure.MedianMs(() =>
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            network.forward(input);
            cuda.synchronize(device);
        }, runs: 20, warmup: 5);
    }

    /// <summary>
    /// Training throughput on the GPU through the real loader: 30 steps of batch 32, the first 5 not counted;
    /// clipped and warmed up so that voc300 from scratch (no pretrained base) does not diverge within them.
    /// </summary>
    private static void Throughput(SsdConfig config, IReadOnlyList<ImageAnnotation> images, int workers, string root)
    {
        var options = TrainingOptions.For(config) with
        {
            Iterations = 30, BatchSize = 32, CheckpointEvery = 1_000_000, Seed = 1, MaxGradientNorm = 10, WarmupIterations = 30, WarmupFactor = 0.01,
        };
        using var trainer = Trainer.Create(config, options, Path.Combine(root, $"throughput-{config.Name}"), device: ComputeDevice.Cuda());
        var steps = new List<TrainingProgress>();
        try
        {
            trainer.Run(Loader(config, images, 32, workers, 1), new SynchronousProgress<TrainingProgress>(steps.Add));
        }
        catch (TrainingDivergedException e)
        {
            Console.WriteLine($"training {config.Name} batch 32 on CUDA: diverged after {steps.Count} steps ({e.Message})");
            if (steps.Count <= 5) return;
        }
        var measured = steps.Skip(5).ToList();
        double seconds = measured.Sum(p => p.StepSeconds), wait = measured.Sum(p => p.DataWaitSeconds);
        Console.WriteLine($"training {config.Name} batch 32 on CUDA, {workers} loader workers: {1000 * seconds / measured.Count:F1} ms/step, " +
                          $"{32 * measured.Count / seconds:F0} images/s, data wait {100 * wait / seconds:F1} %");
    }

    /// <summary>voc300 without a pretrained base, 200 iterations of batch 32, under the reference recipe and stabilised candidates.</summary>
    private static void ScratchStability(IReadOnlyList<ImageAnnotation> images, int workers, string root)
    {
        var config = SsdPresets.Voc300 with { ClassNames = SsdPresets.ShapeClasses };
        var reference = TrainingOptions.For(config) with { Iterations = 200, BatchSize = 32, CheckpointEvery = 1_000_000 };
        (string Name, TrainingOptions Options)[] candidates =
        [
            ("reference (lr 1e-3)", reference),
            ("lr 1e-3, clip 10", reference with { MaxGradientNorm = 10 }),
            ("lr 1e-3, warm-up 500 from 1/3, clip 10", reference with { MaxGradientNorm = 10, WarmupIterations = 500 }),
            ("lr 1e-3, warm-up 1000 from 1/1000, clip 10", reference with { MaxGradientNorm = 10, WarmupIterations = 1000, WarmupFactor = 1e-3 }),
            ("lr 1e-4, clip 10", reference with { LearningRate = 1e-4, MaxGradientNorm = 10 }),
        ];
        foreach (var (name, options) in candidates)
        {
            using var trainer = Trainer.Create(config, options, Path.Combine(root, $"scratch-{Guid.NewGuid():N}"), device: ComputeDevice.Cuda());
            var losses = new List<double>();
            string outcome;
            try
            {
                trainer.Run(Loader(config, images, 32, workers, 0), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)));
                outcome = $"finite for 200 iterations, loss {losses.Take(10).Average():F2} (first 10) → {losses.TakeLast(10).Average():F2} (last 10)";
            }
            catch (TrainingDivergedException e)
            {
                outcome = $"diverged: {e.Message}";
            }
            Console.WriteLine($"voc300 from scratch, batch 32, {name}: {outcome}");
        }
    }

    private static TrainingLoader Loader(SsdConfig config, IReadOnlyList<ImageAnnotation> images, int batch, int workers, long seed) =>
        new(images, NetworkInputFormat.From(config), new LoaderOptions { BatchSize = batch, Workers = workers, Seed = seed });
}
