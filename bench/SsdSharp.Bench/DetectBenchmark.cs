using System.Diagnostics;
using System.Text.Json;
using SkiaSharp;
using SsdSharp.Configuration;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Onnx;
using SsdSharp.Preprocessing;
using SsdSharp.Weights;
using static SsdSharp.Bench.BenchArguments;
using static TorchSharp.torch;

namespace SsdSharp.Bench;

/// <summary>
/// <c>detect [--checkpoint PTH] [--image PNG] [--runs N] [--rounds N] [--post-only]</c>: the paths that can run the
/// reference network side by side, in one run on one machine: the reference itself (PyTorch forward +
/// Detect, when python3 with torch is present), libtorch float32 in both layouts, the bfloat16 variants
/// when the CPU has native bfloat16, ONNX Runtime float32, and what <c>--backend auto</c> picks; per image
/// decode / preprocess / forward / post-process and end to end at batch 1 and 8; then <c>ssd detect</c>'s
/// default path per image, warm (9 images minus 1, over 8), against the fastest variant and the reference.
/// The two ratios are goals, and a VM's speed drifts by 10–50 % over the minutes between the first and the last
/// figure, so they are not taken between figures measured minutes apart: the default path and the fastest variant
/// are measured again in <c>--rounds</c> alternating rounds (a ratio per round), and the reference is timed again
/// after them (the ratio against each of its two timings).
/// </summary>
internal static class DetectBenchmark
{
    private static readonly SsdConfig Config = SsdPresets.Voc300;

    public static int Run(string[] args)
    {
        string checkpoint = BenchArguments.Option(args, "--checkpoint") ?? FindSharedFile("fixtures/ssd-pytorch/ssd300_voc300_seed0_fp16.pth");
        string image = BenchArguments.Option(args, "--image") ?? FindSharedFile("fixtures/ssd-pytorch/image_11.png");
        int runs = int.Parse(BenchArguments.Option(args, "--runs") ?? "5");
        int rounds = int.Parse(BenchArguments.Option(args, "--rounds") ?? "3");
        var cpu = CpuInfo.Current;
        Console.WriteLine($"CPU: {cpu.Model}, {Environment.ProcessorCount} threads; features: {string.Join(' ', cpu.NotableFeatures)}");
        Console.WriteLine($"libtorch {__version__} ({get_num_threads()} threads), ONNX Runtime {OnnxRuntimeBackend.Version}; runs per figure: {runs} (median)");

        var jpeg = WriteVocSizedJpeg(image);
        var (_, stateDict) = new PyTorchCheckpointImporter().Import(checkpoint, Config);
        using (var detector = new SsdDetector(LibTorch(stateDict, new DetectorOptions())))
            PostProcessing(detector, image, runs);
        if (args.Contains("--post-only")) return 0;

        var reference = Reference(checkpoint, jpeg, runs);
        var endToEnd = new Dictionary<(string Name, int Batch), double>();
        var variants = Variants(cpu).ToList();
        foreach (var (name, options) in variants)
        {
            using var detector = Detector(stateDict, options);
            Console.WriteLine($"{name} ({detector.Backend.Description}):");
            foreach (int batch in new[] { 1, 8 })
                endToEnd[(name, batch)] = Pipeline(detector, jpeg, batch, runs);
        }

        var fastest = endToEnd.Where(v => !v.Key.Name.Contains("bfloat16")).MinBy(v => v.Value).Key;
        using (var fastestDetector = Detector(stateDict, variants.Single(v => v.Name == fastest.Name).Options))
        {
            double perImage = DefaultPath(checkpoint, jpeg, runs, rounds, fastestDetector, fastest);
            if (reference is { } before)
            {
                var after = Reference(checkpoint, jpeg, runs);
                Console.WriteLine($"reference forward + Detect {before.Total:F1} ms per image before the rounds, {after?.Total.ToString("F1") ?? "n/a"} after; " +
                                  $"the default path's median {perImage:F1} ms is {before.Total / perImage:F2}× faster than the first" +
                                  (after is { } a ? $" and {a.Total / perImage:F2}× than the second" : "") + " (goal ≥ 2.2×)");
            }
            else
            {
                Console.WriteLine("reference: not run here, so the 2.2× goal is not checked in this run");
            }
        }
        BatchNormFolding(runs);
        Console.WriteLine($"peak memory: {Measure.PeakMb():F0} MB");
        return 0;
    }

    /// <summary>The variants measured: float32-accurate ones always, bfloat16 only where the CPU computes it natively.</summary>
    private static IEnumerable<(string Name, DetectorOptions Options)> Variants(CpuInfo cpu)
    {
        yield return ("libtorch float32", new DetectorOptions { Backend = InferenceBackendKind.LibTorch });
        yield return ("libtorch float32 channels-last", new DetectorOptions { Backend = InferenceBackendKind.LibTorch, Layout = TensorLayout.ChannelsLast });
        if (cpu.HasNativeBFloat16)
        {
            yield return ("libtorch bfloat16", new DetectorOptions { Backend = InferenceBackendKind.LibTorch, Precision = InferencePrecision.BFloat16 });
            yield return ("libtorch bfloat16 channels-last",
                new DetectorOptions { Backend = InferenceBackendKind.LibTorch, Precision = InferencePrecision.BFloat16, Layout = TensorLayout.ChannelsLast });
        }
        else
        {
            Console.WriteLine("bfloat16: not measured, the CPU has no native bfloat16 (libtorch would emulate it)");
        }
        yield return ("onnxruntime float32", new DetectorOptions { Backend = InferenceBackendKind.OnnxRuntime });
    }

    private static LibTorchBackend LibTorch(Dictionary<string, HostTensor> stateDict, DetectorOptions options)
    {
        var network = new SsdNetwork(Config);
        StateDictLoader.Load(network, stateDict, "fixture checkpoint");
        return new LibTorchBackend(network, options);
    }

    private static void PostProcessing(SsdDetector detector, string image, int runs)
    {
        // The fixture case: the reference network's outputs for image_11, about 1,900 detections kept from 21 classes.
        var predictions = detector.Backend.Run(detector.Preprocess([RgbImage.Decode(image)]), 1);
        var options = new DetectionOptions { MaxDetections = null };
        int kept = PostProcessor.Run(predictions, options)[0].Length;
        double ms = Measure.MedianMs(() => PostProcessor.Run(predictions, options), runs * 5, warmup: 5);
        Console.WriteLine($"post-processing of the fixture case ({kept} detections kept, 21 classes): {ms:F2} ms");
    }

    /// <summary>Per-image figures of one detector at one batch size; returns end to end per image in ms.</summary>
    private static double Pipeline(SsdDetector detector, string jpeg, int batch, int runs)
    {
        var paths = Enumerable.Repeat(jpeg, batch).ToArray();
        RgbImage[] images = [];
        double decode = Measure.MedianMs(() => images = paths.AsParallel().AsOrdered().Select(RgbImage.Decode).ToArray(), runs);
        float[] input = [];
        double preprocess = Measure.MedianMs(() => input = detector.Preprocess(images), runs);
        // One warm-up suffices for the forward passes (the first call prepares the kernels); they dominate the benchmark's time.
        NetworkPredictions predictions = null!;
        double forward = Measure.MedianMs(() => predictions = detector.Backend.Run(input, batch), runs, warmup: 1);
        double postProcess = Measure.MedianMs(() => detector.PostProcess(predictions, images, paths), runs);
        double endToEnd = DetectMs(detector, paths, runs);
        var raw = detector.Backend is LibTorchBackend libTorch
            ? $"; raw forward {Measure.MedianMs(() => libTorch.Forward(input, batch), runs, warmup: 1) / batch:F1}"
            : "";
        Console.WriteLine($"  batch {batch}, per image: decode {decode / batch:F2}, preprocess {preprocess / batch:F2}, forward and decoding {forward / batch:F1}, " +
                          $"post-process {postProcess / batch:F2}; end to end {endToEnd / batch:F1} ms ({batch * 1000 / endToEnd:F2} images/s){raw}");
        return endToEnd / batch;
    }

    /// <summary>Median ms of <c>DetectFiles</c> over <paramref name="paths"/>, warm: what "end to end" means in every figure here.</summary>
    private static double DetectMs(SsdDetector detector, string[] paths, int runs) =>
        Measure.MedianMs(() => detector.DetectFiles(paths).ToList(), runs, warmup: 1);

    private static SsdDetector Detector(Dictionary<string, HostTensor> stateDict, DetectorOptions options) =>
        new(options.Backend == InferenceBackendKind.OnnxRuntime
            ? OnnxRuntimeBackend.FromModel(OnnxExporter.Export(Config, stateDict), Config, "fixture checkpoint")
            : LibTorch(stateDict, options), options);

    /// <summary>
    /// What <c>ssd detect --weights CHECKPOINT --config voc300</c> does with no other option: auto picks
    /// (timed here, not cached), then files are detected in batches of 8. Per image, warm: 9 images minus 1, over 8;
    /// in each round beside the fastest float32-accurate variant, measured as above. Returns the default path's median over the rounds.
    /// </summary>
    private static double DefaultPath(string checkpoint, string jpeg, int runs, int rounds, SsdDetector fastest, (string Name, int Batch) fastestVariant)
    {
        // A fresh cache: auto times now, and the on-the-fly export stays out of the user's cache.
        var options = new DetectorOptions { CacheAutoChoice = false, CacheDirectory = Directory.CreateTempSubdirectory("ssdsharp-bench-cache").FullName };
        var (backend, choice) = AutoBackend.Open(checkpoint, Config, options);
        Console.WriteLine($"auto: {choice.Description} ({string.Join("; ", choice.Timings.Select(t => $"{t.Description} {t.Milliseconds:F1} ms"))})");
        using var detector = new SsdDetector(backend, options);
        var one = new[] { jpeg };
        var nine = Enumerable.Repeat(jpeg, 9).ToArray();
        var batch = Enumerable.Repeat(jpeg, fastestVariant.Batch).ToArray();
        var defaults = new List<double>();
        var ratios = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            double t1 = DetectMs(detector, one, runs);
            double t9 = DetectMs(detector, nine, runs);
            double perImage = (t9 - t1) / 8;
            double variant = DetectMs(fastest, batch, runs) / fastestVariant.Batch;
            defaults.Add(perImage);
            ratios.Add(perImage / variant);
            Console.WriteLine($"round {round}: ssd detect default path (auto, batch 8), per image warm ((9 images − 1) / 8) {perImage:F1} ms; " +
                              $"{fastestVariant.Name}, batch {fastestVariant.Batch} (the fastest float32-accurate variant above) {variant:F1} ms; ratio {perImage / variant:F3}");
        }
        Console.WriteLine($"default path against the fastest float32-accurate variant, per round: {string.Join(", ", ratios.Select(r => r.ToString("F3")))} " +
                          $"(median {Measure.Median(ratios):F3}; goal ≤ 1.05)");
        return Measure.Median(defaults);
    }

    /// <summary>ONNX Runtime on shapes300 (batch norm after every base convolution) with batch norm folded by the exporter or left as nodes.</summary>
    private static void BatchNormFolding(int runs)
    {
        var model = Path.Combine(AppContext.BaseDirectory, "models", "shapes300.safetensors");
        if (!File.Exists(model))
        {
            Console.WriteLine($"batch-norm folding: not measured ({model} absent)");
            return;
        }
        var (config, weights) = ModelFile.Load(model);
        var input = new float[8 * 3 * config.InputSize * config.InputSize];
        foreach (var fold in new[] { true, false })
        {
            using var backend = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights, new OnnxExportOptions { FoldBatchNorm = fold }), config, "shapes300");
            double ms = Measure.MedianMs(() => backend.Run(input, 8), runs * 3);
            Console.WriteLine($"shapes300 on onnxruntime, batch norm {(fold ? "folded by the exporter" : "as BatchNormalization nodes")}: {ms / 8:F2} ms per image at batch 8");
        }
    }

    private sealed record ReferenceTiming(double ForwardMs, double DetectMs)
    {
        public double Total => ForwardMs + DetectMs;
    }

    /// <summary>
    /// The reference's forward + Detect through <c>../shared/reference/bench_ref.py</c>, when a python3 with torch, torchvision
    /// (imported by the reference's data package) and cv2 exists.
    /// </summary>
    private static ReferenceTiming? Reference(string checkpoint, string jpeg, int runs)
    {
        var script = FindSharedFile("reference/bench_ref.py");
        foreach (var python in new[] { "python3", "/usr/bin/python3" })
        {
            var (probe, _, _) = Python(python, "-c", "import torch, torchvision, cv2");
            if (probe != 0) continue;
            var (code, output, errors) = Python(python, script, checkpoint, jpeg, "--threads", get_num_threads().ToString(), "--runs", runs.ToString());
            if (code != 0)
            {
                Console.WriteLine($"reference ({python}): failed: {(output + errors).Trim()}");
                return null;
            }
            // The JSON line is the last of standard output; PyTorch 1.13 writes deprecation warnings from the reference's NMS to standard error.
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var root = json.RootElement;
            var timing = new ReferenceTiming(root.GetProperty("forward_ms").GetDouble(), root.GetProperty("detect_ms").GetDouble());
            Console.WriteLine($"reference (PyTorch {root.GetProperty("torch").GetString()}, {root.GetProperty("threads").GetInt32()} threads): " +
                              $"forward {timing.ForwardMs:F1} ms + Detect {timing.DetectMs:F1} ms = {timing.Total:F1} ms per image");
            return timing;
        }
        Console.WriteLine("reference: not run — no python3 with torch, torchvision and cv2 here (Debian: tools/setup-reference.sh)");
        return null;
    }

    private static (int ExitCode, string Output, string Errors) Python(string python, params string[] args)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }

    private static string WriteVocSizedJpeg(string source)
    {
        using var bitmap = ImageDecoder.Decode(source);
        using var resized = bitmap.Resize(new SKImageInfo(500, 375), new SKSamplingOptions(SKFilterMode.Linear));
        var path = Path.Combine(Path.GetTempPath(), "ssdsharp-bench-500x375.jpg");
        BoxPainter.Save(resized, path);
        return path;
    }
}
