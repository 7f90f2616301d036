using SkiaSharp;

namespace SsdSharp.Imaging;

/// <summary>A box to draw: corners in pixels, a caption, and the class id that picks its colour.</summary>
/// <param name="X1">Left.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
/// <param name="Caption">Text drawn above the box (e.g. <c>"dog 0.93"</c>).</param>
/// <param name="ClassId">Class id; each class gets its own colour.</param>
public readonly record struct LabeledBox(float X1, float Y1, float X2, float Y2, string Caption, int ClassId);

/// <summary>Draws labelled boxes on images, for detections and for ground truth alike.</summary>
public static class BoxPainter
{
    /// <summary>A distinct, stable colour for a class id (golden-ratio hue steps).</summary>
    public static SKColor ColorOf(int classId) =>
        SKColor.FromHsv((float)(classId * 137.508 % 360), 85, 95);

    /// <summary>Draws the boxes onto <paramref name="bitmap"/> in place.</summary>
    public static void Draw(SKBitmap bitmap, IEnumerable<LabeledBox> boxes)
    {
        using var canvas = new SKCanvas(bitmap);
        float scale = Math.Max(1f, Math.Min(bitmap.Width, bitmap.Height) / 300f);
        using var font = new SKFont(SKTypeface.Default, 11 * scale);
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2 * scale, IsAntialias = true };
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        foreach (var box in boxes)
        {
            var color = ColorOf(box.ClassId);
            stroke.Color = color;
            fill.Color = color;
            canvas.DrawRect(SKRect.Create(box.X1, box.Y1, box.X2 - box.X1, box.Y2 - box.Y1), stroke);
            if (string.IsNullOrEmpty(box.Caption)) continue;
            float width = font.MeasureText(box.Caption);
            float height = font.Size + 2 * scale;
            // Keep the caption inside the image when the box touches the top edge.
            float top = box.Y1 - height >= 0 ? box.Y1 - height : box.Y1;
            canvas.DrawRect(SKRect.Create(box.X1, top, width + 4 * scale, height), fill);
            canvas.DrawText(box.Caption, box.X1 + 2 * scale, top + font.Size, font, text);
        }
    }

    /// <summary>Encodes a bitmap to a file, choosing JPEG or PNG by extension (PNG otherwise).</summary>
    public static void Save(SKBitmap bitmap, string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var format = ext is ".jpg" or ".jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 92);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        data.SaveTo(stream);
    }
}
