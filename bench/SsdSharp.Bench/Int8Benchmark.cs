using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Synthetic;
using SsdSharp.Inference;
using SsdSharp.Onnx;
using SsdSharp.Onnx.Quantization;
using SsdSharp.Preprocessing;
using SsdSharp.Weights;
using static SsdSharp.Bench.BenchArguments;

namespace SsdSharp.Bench;

/// <summary>
/// <c>int8 [--checkpoint PTH] [--calibration DATA] [--calibration-images N] [--method M] [--runs N] [--rounds N] [--images FILE…]</c>:
/// ONNX Runtime float32 against the int8 export of the same network, in one run: SSD300 (voc300, the
/// fixture checkpoint unless another is given) and the bundled shapes model. Per image, batch 1, warm,
/// end to end (decode, preprocess, forward, post-process): the median of <c>--runs</c> runs, measured in
/// <c>--rounds</c> alternating rounds so that the spread under a changing machine load shows; the ratio
/// is taken within each round. Then, for SSD300, how many float32 detections above 0.3 the int8 model
/// reproduces (same class, IoU ≥ 0.9) on the given images (default: the samples and the fixture image).
/// Calibration images default to a synthetic shapes set made here (seed 5).
/// </summary>
internal static class Int8Benchmark
{
    private const float ScoreFloor = 0.3f;
    private const double IouFloor = 0.9;

    public static int Run(string[] args)
    {
        string checkpoint = Option(args, "--checkpoint") ?? FindSharedFile("fixtures/ssd-pytorch/ssd300_voc300_seed0_fp16.pth");
        int runs = int.Parse(Option(args, "--runs") ?? "7");
        int rounds = int.Parse(Option(args, "--rounds") ?? "3");
        int calibrationCount = int.Parse(Option(args, "--calibration-images") ?? "64");
        var method = Option(args, "--method") switch
        {
            "minmax" => CalibrationMethod.MinMax,
            "percentile" => CalibrationMethod.Percentile,
            "entropy" => CalibrationMethod.Entropy,
            null => new QuantizationOptions().Method,
            var other => throw new ArgumentException($"--method {other}: minmax, percentile or entropy"),
        };
        var activations = Option(args, "--activations") == "int8" ? ActivationType.Int8 : ActivationType.UInt8;
        var calibration = Option(args, "--calibration") is { } spec ? DatasetSpec.Parse(spec) : SyntheticCalibrationSet();
        var images = ImagesOf(args);

        var cpu = CpuInfo.Current;
        Console.WriteLine($"CPU: {cpu.Model}, {Environment.ProcessorCount} threads; features: {string.Join(' ', cpu.NotableFeatures)}");
        Console.WriteLine($"ONNX Runtime {OnnxRuntimeBackend.Version}; batch 1, per image end to end, median of {runs} warm runs, {rounds} rounds; " +
                          $"calibration: {calibrationCount} images of {calibration}, {OnnxQuantizer.MethodName(method)}, {activations} activations");

        var options = new QuantizationOptions { Method = method, Activations = activations };
        var voc = Models("SSD300 (voc300)", SsdPresets.Voc300, new PyTorchCheckpointImporter().Import(checkpoint, SsdPresets.Voc300).StateDict, calibration, calibrationCount, options);
        var bundled = Path.Combine(AppContext.BaseDirectory, "models", "shapes300.safetensors");
        var (shapesConfig, shapesWeights) = ModelFile.Load(bundled);
        var shapes = Models("shapes300 (bundled)", shapesConfig, shapesWeights, calibration, calibrationCount, options);

        foreach (var (name, pair) in new[] { ("SSD300 (voc300)", voc), ("shapes300 (bundled)", shapes) })
            Speed(name, pair, images[0], runs, rounds);
        Reproduction(voc, images);
        voc.Float.Dispose();
        voc.Int8.Dispose();
        shapes.Float.Dispose();
        shapes.Int8.Dispose();
        return 0;
    }

    private sealed record Pair(SsdDetector Float, SsdDetector Int8);

    private static Pair Models(string name, SsdConfig config, Dictionary<string, HostTensor> weights, DatasetSpec calibration, int count, QuantizationOptions options)
    {
        var set = CalibrationImages.From(calibration, "trainval", NetworkInputFormat.From(config), count, seed: 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var int8 = OnnxQuantizer.Quantize(config, weights, set, options, calibration: calibration.ToString());
        Console.WriteLine($"{name}: quantized in {clock.Elapsed.TotalSeconds:F0} s, {int8.Length / 1e6:F1} MB");
        var detection = new DetectorOptions { Backend = InferenceBackendKind.OnnxRuntime, BatchSize = 1 };
        return new Pair(
            new SsdDetector(OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights), config, name), detection),
            new SsdDetector(OnnxRuntimeBackend.FromModel(int8, config, name), detection));
    }

    private static void Speed(string name, Pair pair, string image, int runs, int rounds)
    {
        var one = new[] { image };
        var ratios = new List<double>();
        Console.WriteLine($"{name}: float32 {pair.Float.Backend.Description}; int8 {pair.Int8.Backend.Description}");
        for (int round = 1; round <= rounds; round++)
        {
            var f = Measure.SortedMs(() => pair.Float.DetectFiles(one).ToList(), runs, warmup: 1);
            var q = Measure.SortedMs(() => pair.Int8.DetectFiles(one).ToList(), runs, warmup: 1);
            double fm = f[runs / 2], qm = q[runs / 2];
            ratios.Add(fm / qm);
            Console.WriteLine($"  round {round}: float32 {fm:F1} ms (min {f[0]:F1}, max {f[^1]:F1}), int8 {qm:F1} ms (min {q[0]:F1}, max {q[^1]:F1}): {fm / qm:F2}× faster");
        }
        Console.WriteLine($"  int8 speed-up per round: {string.Join(", ", ratios.Select(r => r.ToString("F2")))} (median {Measure.Median(ratios):F2}×)");
    }

    /// <summary>Float32 detections above <see cref="ScoreFloor"/> that int8 reproduces: same class, IoU ≥ <see cref="IouFloor"/>, each int8 detection used once.</summary>
    private static void Reproduction(Pair pair, IReadOnlyList<string> images)
    {
        int total = 0, reproduced = 0;
        foreach (var image in images)
        {
            var a = pair.Float.Detect(image).Detections.Where(d => d.Score > ScoreFloor).ToList();
            var b = pair.Int8.Detect(image).Detections.ToList();
            var used = new bool[b.Count];
            foreach (var d in a)
            {
                total++;
                int match = Enumerable.Range(0, b.Count)
                    .Where(j => !used[j] && b[j].ClassId == d.ClassId && PixelBox.Iou(b[j].Box, d.Box) >= IouFloor)
                    .DefaultIfEmpty(-1).First();
                if (match < 0) continue;
                used[match] = true;
                reproduced++;
            }
        }
        Console.WriteLine($"SSD300: int8 reproduces {reproduced} of {total} float32 detections above {ScoreFloor} (same class, IoU ≥ {IouFloor}) on {images.Count} images");
    }

    private static DatasetSpec SyntheticCalibrationSet()
    {
        var root = Directory.CreateTempSubdirectory("ssdsharp-int8-calibration").FullName;
        SyntheticDataset.Generate(root, new SyntheticDatasetOptions { Images = 200, Seed = 5 });
        return DatasetSpec.Voc(root);
    }

    private static IReadOnlyList<string> ImagesOf(string[] args)
    {
        int i = Array.IndexOf(args, "--images");
        if (i >= 0) return args.Skip(i + 1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var samples = Directory.GetFiles(FindAbove("samples"), "*.jpg").Order(StringComparer.Ordinal);
        return [FindSharedFile("fixtures/ssd-pytorch/image_11.png"), .. samples];
    }
}
