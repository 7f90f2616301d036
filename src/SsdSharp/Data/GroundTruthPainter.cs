using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Data;

/// <summary>
/// Draws ground-truth boxes on their image, for a person to check that they sit on the objects: one colour
/// per class, difficult and crowd objects dashed, the class name above the box where a font is available.
/// </summary>
public static class GroundTruthPainter
{
    private static readonly SKColor[] Palette =
    [
        new(230, 25, 75), new(60, 180, 75), new(255, 225, 25), new(0, 130, 200), new(245, 130, 48),
        new(145, 30, 180), new(70, 240, 240), new(240, 50, 230), new(210, 245, 60), new(250, 190, 212),
    ];

    /// <summary>The colour of a class id in drawings.</summary>
    public static SKColor ColourOf(int classId) => Palette[(classId - 1) % Palette.Length];

    /// <summary>Decodes the image and draws its boxes; the caller disposes the result.</summary>
    /// <exception cref="ImageDecodeException">The image will not decode.</exception>
    public static SKBitmap Draw(ImageAnnotation image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var bitmap = ImageDecoder.Decode(image.ImagePath);
        using var canvas = new SKCanvas(bitmap);
        float width = Math.Max(1, Math.Min(bitmap.Width, bitmap.Height) / 200f);
        using var font = new SKFont(SKTypeface.Default, Math.Max(10, 6 * width));
        using var dash = SKPathEffect.CreateDash([4 * width, 3 * width], 0);
        using var box = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width };
        using var text = new SKPaint { IsAntialias = true, Color = SKColors.White };
        using var label = new SKPaint { Style = SKPaintStyle.Fill };
        foreach (var o in image.Objects)
        {
            box.Color = ColourOf(o.ClassId);
            box.PathEffect = o.Difficult || o.Crowd ? dash : null;
            canvas.DrawRect(new SKRect(o.X1, o.Y1, o.X2, o.Y2), box);
            var caption = o.Difficult ? o.Label + " (difficult)" : o.Crowd ? o.Label + " (crowd)" : o.Label;
            float textWidth = font.MeasureText(caption);
            if (textWidth <= 0) continue;
            label.Color = box.Color;
            float top = Math.Max(0, o.Y1 - font.Size - 2);
            canvas.DrawRect(new SKRect(o.X1, top, o.X1 + textWidth + 4, top + font.Size + 2), label);
            canvas.DrawText(caption, o.X1 + 2, top + font.Size - 1, SKTextAlign.Left, font, text);
        }
        return bitmap;
    }

    /// <summary>Draws the image's boxes and writes the result as PNG.</summary>
    public static void Save(ImageAnnotation image, string path)
    {
        using var bitmap = Draw(image);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
