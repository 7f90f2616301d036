using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Bench;

/// <summary>
/// <c>detect [--checkpoint PTH] [--image PNG] [--runs N] [--variants] [--post-only]</c>: per-image latency of detection split into
/// decode, preprocess, forward and post-processing at batch 1 and 8, against the raw forward pass of
/// the same network; post-processing of the reference fixture case alone; optionally bf16 and
/// channels-last forward passes.
/// </summary>
internal static class DetectBenchmark
{
    public static int Run(string[] args)
    {
        string checkpoint = Option(args, "--checkpoint") ?? FindSharedFile("ssd300_voc300_seed0_fp16.pth");
        string image = Option(args, "--image") ?? FindSharedFile("image_11.png");
        int runs = int.Parse(Option(args, "--runs") ?? "10");
        bool variants = args.Contains("--variants");
        Console.WriteLine($"threads: {get_num_threads()}, runs per figure: {runs} (median)");

        var jpeg = WriteVocSizedJpeg(image);
        using var detector = new SsdDetector(ReferenceWeights.LoadSsd(checkpoint, SsdPresets.Voc300));
        PostProcessing(detector, image, runs);
        if (args.Contains("--post-only")) return 0;
        foreach (int batch in new[] { 1, 8 })
            Pipeline(detector, jpeg, batch, runs);
        if (variants)
        {
            foreach (var (dtype, layout) in new[] { (ScalarType.Float32, TensorLayout.ChannelsLast), (ScalarType.BFloat16, TensorLayout.Contiguous), (ScalarType.BFloat16, TensorLayout.ChannelsLast) })
            {
                using var variant = new SsdDetector(ReferenceWeights.LoadSsd(checkpoint, SsdPresets.Voc300), new DetectorOptions { DType = dtype, Layout = layout });
                var images = new[] { RgbImage.Decode(jpeg) };
                double ms = Measure.MedianMs(() => Forward(variant, images), runs);
                Console.WriteLine($"forward {dtype} {layout}, batch 1: {ms:F1} ms");
            }
        }
        Console.WriteLine($"peak memory: {Measure.PeakMb():F0} MB");
        return 0;
    }

    private static void PostProcessing(SsdDetector detector, string image, int runs)
    {
        // The fixture case: the reference network's outputs for image_11, about 1,900 detections kept from 21 classes.
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var input = detector.ToInputBatch([RgbImage.Decode(image)]);
        var (loc, conf) = detector.Network.forward(input);
        using var priors = PriorBoxes.Create(SsdPresets.Voc300);
        var options = new DetectionOptions { MaxDetections = null };
        int kept = PostProcessor.Run(loc, conf, priors, new BoxCoder(), options)[0].Length;
        double ms = Measure.MedianMs(() => PostProcessor.Run(loc, conf, priors, new BoxCoder(), options), runs * 5, warmup: 5);
        Console.WriteLine($"post-processing of the fixture case ({kept} detections kept, 21 classes): {ms:F2} ms");
    }

    private static void Pipeline(SsdDetector detector, string jpeg, int batch, int runs)
    {
        var paths = Enumerable.Repeat(jpeg, batch).ToArray();
        RgbImage[] images = [];
        double decode = Measure.MedianMs(() => images = paths.AsParallel().AsOrdered().Select(RgbImage.Decode).ToArray(), runs);

        var timings = new StageTimings();
        double endToEnd = Measure.MedianMs(() =>
        {
            var decoded = paths.AsParallel().AsOrdered().Select(RgbImage.Decode).ToArray();
            detector.DetectImages(decoded, paths, timings);
        }, runs);
        // DetectImages accumulated its stages over warm-up and measured runs alike.
        int calls = runs + 2;
        double raw = Measure.MedianMs(() => Forward(detector, images), runs);

        Console.WriteLine($"batch {batch} (500×375 JPEG), per image:");
        Console.WriteLine($"  decode {decode / batch:F2} ms, preprocess {timings.Preprocess / calls / batch:F2} ms, " +
                          $"forward {timings.Forward / calls / batch:F1} ms, post-process {timings.PostProcess / calls / batch:F2} ms");
        Console.WriteLine($"  end to end {endToEnd / batch:F1} ms ({batch * 1000 / endToEnd:F2} images/s); raw forward alone {raw / batch:F1} ms; " +
                          $"ratio end-to-end / raw forward {endToEnd / raw:F3}");
    }

    /// <summary>The network alone on an already prepared batch tensor.</summary>
    private static void Forward(SsdDetector detector, RgbImage[] images)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var input = detector.ToInputBatch(images);
        _ = detector.Network.forward(input);
    }

    private static string WriteVocSizedJpeg(string source)
    {
        using var bitmap = ImageDecoder.Decode(source);
        using var resized = bitmap.Resize(new SKImageInfo(500, 375), new SKSamplingOptions(SKFilterMode.Linear));
        var path = Path.Combine(Path.GetTempPath(), "ssdsharp-bench-500x375.jpg");
        BoxPainter.Save(resized, path);
        return path;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindSharedFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "ssd-pytorch", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{name} not found in a shared/fixtures/ssd-pytorch folder above {AppContext.BaseDirectory}; pass it explicitly");
    }
}
