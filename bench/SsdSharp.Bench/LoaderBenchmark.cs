using System.Diagnostics;
using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SkiaSharp;

namespace SsdSharp.Bench;

internal static class LoaderBenchmark
{
    public static int Run(string[] args)
    {
        var rng = new Random(1);
        using var bitmap = new SKBitmap(new SKImageInfo(500, 375, SKColorType.Rgba8888, SKAlphaType.Premul));
        var px = bitmap.GetPixelSpan();
        var format = NetworkInputFormat.From(SsdPresets.Voc300);
        var output = new float[format.Length];
        for (int i = 0; i < 50; i++) Preprocess.ToNetworkInput(bitmap, SsdPresets.Voc300);
        var sw = Stopwatch.StartNew();
        int n = 500;
        for (int i = 0; i < n; i++) Preprocess.ToNetworkInput(bitmap, SsdPresets.Voc300);
        Console.WriteLine($"preprocess 500x375 -> 300: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        var img = RgbImage.FromBitmap(bitmap);
        sw.Restart();
        for (int i = 0; i < n; i++) Preprocess.ToNetworkInput(img, format, output);
        Console.WriteLine($"resize only: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        sw.Restart();
        for (int i = 0; i < n; i++) RgbImage.FromBitmap(bitmap);
        Console.WriteLine($"convert only: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        sw.Restart();
        for (int i = 0; i < n; i++) GC.KeepAlive(new float[500*375*3]);
        Console.WriteLine($"alloc only: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        var reuse = new float[500*375*3];
        sw.Restart();
        for (int i = 0; i < n; i++) { var a = new float[500*375*3]; a.AsSpan().Fill(1); }
        Console.WriteLine($"alloc+fill: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        sw.Restart();
        for (int i = 0; i < n; i++) { reuse.AsSpan().Fill(1); }
        Console.WriteLine($"fill reuse: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        return 0;
    }
}
