using SkiaSharp;
using SsdSharp.Data;

namespace SsdSharp.Tests.Data.Loading;

/// <summary>A few small JPEGs with coloured rectangles and their annotations, in a temporary folder.</summary>
internal sealed class LoaderTestImages : IDisposable
{
    public LoaderTestImages(int count, int width = 64, int height = 48)
    {
        Directory = Path.Combine(Path.GetTempPath(), "ssd-loader-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var annotations = new List<ImageAnnotation>();
        for (int i = 0; i < count; i++)
        {
            var path = Path.Combine(Directory, $"img{i}.jpg");
            using (var bitmap = new SKBitmap(width, height))
            using (var canvas = new SKCanvas(bitmap))
            using (var paint = new SKPaint())
            {
                canvas.Clear(new SKColor((byte)(20 * i), 90, (byte)(200 - 10 * i)));
                paint.Color = new SKColor(250, (byte)(30 * i), 20);
                canvas.DrawRect(10, 8, 20, 16, paint);
                paint.Color = new SKColor(20, 240, (byte)(15 * i));
                canvas.DrawRect(36, 24, 24, 20, paint);
                using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
                File.WriteAllBytes(path, data.ToArray());
            }
            annotations.Add(new ImageAnnotation($"img{i}", path, width, height,
            [
                new ObjectAnnotation(1 + i % 3, "a", 10, 8, 30, 24),
                new ObjectAnnotation(2, "b", 36, 24, 60, 44, Difficult: i % 2 == 0),
                new ObjectAnnotation(3, "c", 2, 30, 12, 46, Crowd: i % 3 == 0),
            ]));
        }
        Annotations = annotations;
    }

    public string Directory { get; }

    public IReadOnlyList<ImageAnnotation> Annotations { get; }

    /// <summary>Replaces image <paramref name="index"/> with bytes that are not an image.</summary>
    public string Corrupt(int index)
    {
        var path = Annotations[index].ImagePath;
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
