using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Weights;
using static TorchSharp.torch;
using SsdSharp.Preprocessing;

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
        using var detector = new SsdDetector(new LibTorchBackend(ReferenceWeights.LoadSsd(checkpoint, SsdPresets.Voc300)));
        PostProcessing(detector, image, runs);
        if (args.Contains("--post-only")) return 0;
        foreach (int batch in new[] { 1, 8 })
            Pipeline(detector, jpeg, batch, runs);
        if (variants)
        {
            foreach (var (precision, layout) in new[] { (InferencePrecision.Float32, TensorLayout.ChannelsLast), (InferencePrecision.BFloat16, TensorLayout.Contiguous), (InferencePrecision.BFloat16, TensorLayout.ChannelsLast) })
            {
                var options = new DetectorOptions { Precision = precision, Layout = layout };
                using var variant = new SsdDetector(new LibTorchBackend(ReferenceWeights.LoadSsd(checkpoint, SsdPresets.Voc300), options), options);
                var input = variant.Preprocess([RgbImage.Decode(jpeg)]);
                double ms = Measure.MedianMs(() => Forward(variant, input, 1), runs);
                Console.WriteLine($"forward {precision} {layout}, batch 1: {ms:F1} ms");
            }
        }
        Console.WriteLine($"peak memory: {Measure.PeakMb():F0} MB");
        return 0;
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

    private static void Pipeline(SsdDetector detector, string jpeg, int batch, int runs)
    {
        var paths = Enumerable.Repeat(jpeg, batch).ToArray();
        RgbImage[] images = [];
        double decode = Measure.MedianMs(() => images = paths.AsParallel().AsOrdered().Select(RgbImage.Decode).ToArray(), runs);
        float[] input = [];
        double preprocess = Measure.MedianMs(() => input = detector.Preprocess(images), runs);
        NetworkPredictions predictions = null!;
        double forward = Measure.MedianMs(() => predictions = detector.Backend.Run(input, batch), runs);
        double postProcess = Measure.MedianMs(() => detector.PostProcess(predictions, images, paths), runs);
        double endToEnd = Measure.MedianMs(() =>
        {
            var decoded = paths.AsParallel().AsOrdered().Select(RgbImage.Decode).ToArray();
            detector.Detect(decoded, paths);
        }, runs);
        double raw = Measure.MedianMs(() => Forward(detector, input, batch), runs);

        Console.WriteLine($"batch {batch} (500×375 JPEG), per image:");
        Console.WriteLine($"  decode {decode / batch:F2} ms, preprocess {preprocess / batch:F2} ms, " +
                          $"forward and decoding {forward / batch:F1} ms, post-process {postProcess / batch:F2} ms");
        Console.WriteLine($"  end to end {endToEnd / batch:F1} ms ({batch * 1000 / endToEnd:F2} images/s); raw forward alone {raw / batch:F1} ms; " +
                          $"ratio end-to-end / raw forward {endToEnd / raw:F3}");
    }

    /// <summary>The network alone on an already prepared batch.</summary>
    private static void Forward(SsdDetector detector, float[] input, int count) => ((LibTorchBackend)detector.Backend).Forward(input, count);

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
