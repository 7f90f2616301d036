using System.Diagnostics;
using SkiaSharp;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;
using SsdSharp.Preprocessing;

namespace SsdSharp.Bench;

/// <summary>
/// <c>loader [--images N] [--batches K] [--batch B]</c>: throughput of the training loader (decode +
/// full SSD augmentation + 300×300 network input + collation) on VOC-sized synthetic JPEGs, with one
/// and two worker threads, plus the inference preprocessing time and a W=1 / W=2 determinism check.
/// </summary>
internal static class LoaderBenchmark
{
    public static int Run(string[] args)
    {
        int imageCount = Option(args, "--images", 256);
        int batches = Option(args, "--batches", 12);
        int batchSize = Option(args, "--batch", 32);
        var directory = Path.Combine(Path.GetTempPath(), "ssd-loader-bench");
        var images = WriteImages(directory, imageCount);
        var format = NetworkInputFormat.From(SsdPresets.Voc300);
        Console.WriteLine($"{imageCount} synthetic JPEGs of 500×375 in {directory}; {Environment.ProcessorCount} cores; load average {Measure.LoadAverage()}");

        TimePreprocess(images[0].ImagePath, format);
        TimeStages(images, format);

        foreach (int workers in new[] { 1, 2 })
        {
            var options = new LoaderOptions { BatchSize = batchSize, Workers = workers, Seed = 1 };
            using var stream = new TrainingLoader(images, format, options).Batches(0, CancellationToken.None).GetEnumerator();
            void Take()
            {
                stream.MoveNext();
                stream.Current.Dispose();
            }
            for (int i = 0; i < 2; i++) Take();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < batches; i++) Take();
            double seconds = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            int delivered = batches * batchSize;
            Console.WriteLine($"W={workers}: {delivered / seconds,6:F1} images/s wall, {delivered / seconds / workers,6:F1} per worker; " +
                $"{delivered / cpuSeconds,6:F1} images per CPU-second (load average now {Measure.LoadAverage()})");
        }

        // Determinism: the first batches with one and with two workers, compared value by value.
        var checksums = new[] { 1, 2 }.Select(workers =>
        {
            var loader = new TrainingLoader(images, format, new LoaderOptions { BatchSize = batchSize, Workers = workers, Seed = 1 });
            return loader.Batches(0, CancellationToken.None).Take(3).Sum(Checksum);
        }).ToArray();
        bool identical = checksums[0] == checksums[1];
        Console.WriteLine(identical
            ? $"W=1 and W=2: identical batches (checksum {checksums[0]:R})"
            : $"W=1 and W=2 batches DIFFER ({checksums[0]:R} vs {checksums[1]:R})");
        return identical ? 0 : 1;
    }

    private static double Checksum(Data.Loading.TrainingBatch batch)
    {
        using (batch)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            // Position-weighted sum: any difference in any value or order shows.
            var weights = TorchSharp.torch.arange(batch.Images.numel(), TorchSharp.torch.float64).remainder(1009).reshape(batch.Images.shape);
            double images = (batch.Images.to_type(TorchSharp.torch.ScalarType.Float64) * weights).sum().item<double>();
            return images + batch.Targets.Sum(t => t.Boxes.sum().item<float>() + t.Labels.sum().item<long>());
        }
    }

    private static void TimePreprocess(string path, NetworkInputFormat format)
    {
        using var bitmap = Imaging.ImageDecoder.Decode(path);
        var config = SsdPresets.Voc300;
        for (int i = 0; i < 50; i++) Preprocess.ToNetworkInput(bitmap, config);
        const int n = 200;
        var clock = Stopwatch.StartNew();
        double cpu = CpuMilliseconds(() =>
        {
            for (int i = 0; i < n; i++) Preprocess.ToNetworkInput(bitmap, config);
        });
        Console.WriteLine($"Preprocess.ToNetworkInput 500×375 bitmap → 3×300×300: {cpu / n:F2} ms CPU, {clock.Elapsed.TotalMilliseconds / n:F2} ms wall");
    }

    // One thread, per stage, to show where the time goes. Process CPU time, which a busy machine inflates less than wall time.
    private static void TimeStages(IReadOnlyList<ImageAnnotation> images, NetworkInputFormat format)
    {
        int n = Math.Min(images.Count, 100);
        var output = new float[format.Length];
        var decoded = new RgbImage[n];
        double decode = CpuMilliseconds(() =>
        {
            for (int i = 0; i < n; i++) decoded[i] = RgbImage.Decode(images[i].ImagePath);
        }) / n;
        string Stage(string name, AugmentationOptions options)
        {
            var pipeline = AugmentationPipeline.ForTraining(format, options);
            var samples = decoded.Select((image, i) => new TrainingSample(images[i].Id,
                new AugmentedImage(new RgbImage(image.Width, image.Height, (float[])image.Pixels.Clone())),
                images[i].Objects.Select(o => new Boxes.PixelBox(o.X1, o.Y1, o.X2, o.Y2)).ToArray(),
                images[i].Objects.Select(o => o.ClassId).ToArray())).ToArray();
            double ms = CpuMilliseconds(() =>
            {
                for (int i = 0; i < n; i++) pipeline.Apply(samples[i], RandomSource.ForSample(1, 0, i), output);
            }) / n;
            return $"{name} {ms:F2} ms";
        }
        var none = AugmentationOptions.None;
        Stage("warm-up (tiered JIT)", AugmentationOptions.Reference);
        Console.WriteLine($"one thread, CPU ms per image: decode JPEG to floats {decode:F2}; " + string.Join("; ",
            Stage("resize only", none),
            Stage("+ photometric", none with { Photometric = new() }),
            Stage("+ expand, crop, mirror", AugmentationOptions.Reference with { Photometric = null }),
            Stage("full augmentation + resize", AugmentationOptions.Reference)));
    }

    private static double CpuMilliseconds(Action action)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
    }

    private static IReadOnlyList<ImageAnnotation> WriteImages(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(7);
        var result = new List<ImageAnnotation>();
        for (int i = 0; i < count; i++)
        {
            const int width = 500, height = 375;
            var path = Path.Combine(directory, $"{i:D5}.jpg");
            var objects = new List<ObjectAnnotation>();
            int objectCount = 1 + random.Next(5);
            for (int k = 0; k < objectCount; k++)
            {
                int w = 20 + random.Next(250), h = 20 + random.Next(200);
                int x = random.Next(width - w), y = random.Next(height - h);
                objects.Add(new ObjectAnnotation(1 + random.Next(5), "shape", x, y, x + w, y + h));
            }
            if (!File.Exists(path)) WriteJpeg(path, width, height, objects, random);
            result.Add(new ImageAnnotation($"{i:D5}", path, width, height, objects));
        }
        return result;
    }

    private static void WriteJpeg(string path, int width, int height, List<ObjectAnnotation> objects, Random random)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true })
        {
            using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [RandomColour(random), RandomColour(random)], SKShaderTileMode.Clamp);
            paint.Shader = shader;
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            foreach (var o in objects)
            {
                paint.Color = RandomColour(random);
                canvas.DrawOval(new SKRect(o.X1, o.Y1, o.X2, o.Y2), paint);
            }
        }
        // Noise, so that the JPEG is as costly to decode as a photograph rather than a flat drawing.
        var pixels = bitmap.GetPixelSpan();
        unsafe
        {
            byte* p = (byte*)bitmap.GetPixels();
            for (int i = 0; i < pixels.Length; i++)
            {
                if (i % 4 != 3) p[i] = (byte)Math.Clamp(p[i] + random.Next(-20, 21), 0, 255);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static SKColor RandomColour(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
