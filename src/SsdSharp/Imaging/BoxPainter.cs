using System.Drawing;
using SkiaSharp;
using SsdSharp.IO;

namespace SsdSharp.Imaging;

/// <summary>A box to draw: corners in pixels, a caption, and the class id that picks its colour.</summary>
/// <param name="X1">Left.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
/// <param name="Caption">Text drawn next to the box (e.g. <c>"dog 0.93"</c>); none when empty.</param>
/// <param name="ClassId">Class id; each class gets its own colour (<see cref="ClassPalette"/>).</param>
public readonly record struct LabeledBox(float X1, float Y1, float X2, float Y2, string Caption, int ClassId);

/// <summary>Draws labelled boxes on images, for detections and for ground truth alike.</summary>
public static class BoxPainter
{
    /// <summary>
    /// Draws the boxes onto <paramref name="bitmap"/> in place, with line width and font scaled to the image
    /// (<see cref="DrawingScale"/>) and captions that overlap neither each other nor the image border
    /// (<see cref="CaptionLayout"/>). Give the most important boxes first (detections by falling score):
    /// their captions get the places nearest to their boxes and their outlines lie on top.
    /// </summary>
    public static void Draw(SKBitmap bitmap, IEnumerable<LabeledBox> boxes)
    {
        var all = boxes.ToList();
        var scale = DrawingScale.For(bitmap.Width, bitmap.Height);
        using var canvas = new SKCanvas(bitmap);
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = scale.LineWidth, IsAntialias = true };
        for (int i = all.Count - 1; i >= 0; i--)
        {
            stroke.Color = ClassPalette.ColorOf(all[i].ClassId);
            canvas.DrawRect(Outline(all[i], scale.LineWidth), stroke);
        }
        DrawCaptions(canvas, new Size(bitmap.Width, bitmap.Height), all.Where(b => !string.IsNullOrEmpty(b.Caption)).ToList(), scale);
    }

    /// <summary>The rectangle to stroke: inset by half the line width, so that the whole line lies on the box even at the image border.</summary>
    private static SKRect Outline(LabeledBox box, float lineWidth)
    {
        var rect = new SKRect(box.X1, box.Y1, box.X2, box.Y2);
        float inset = Math.Min(lineWidth / 2, Math.Min(rect.Width, rect.Height) / 2);
        rect.Inflate(-inset, -inset);
        return rect;
    }

    private static void DrawCaptions(SKCanvas canvas, Size image, List<LabeledBox> boxes, DrawingScale scale)
    {
        using var font = BundledFont.Font(scale.FontSize);
        float padX = MathF.Round(0.3f * scale.FontSize), padY = MathF.Round(0.12f * scale.FontSize);
        var metrics = font.Metrics;
        int height = (int)MathF.Ceiling(metrics.Descent - metrics.Ascent + 2 * padY);
        var texts = boxes.Select(b => Fit(b.Caption, image.Width - 2 * padX, t => font.MeasureText(t))).ToList();
        var sizes = texts.Select(t => new Size((int)MathF.Ceiling(font.MeasureText(t) + 2 * padX), height)).ToList();
        var rects = boxes.Select(b => new RectangleF(b.X1, b.Y1, b.X2 - b.X1, b.Y2 - b.Y1)).ToList();
        var captions = CaptionLayout.Place(image, rects, sizes);

        using var leader = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1, scale.LineWidth / 2), IsAntialias = true };
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        using var ink = new SKPaint { IsAntialias = true };
        // Leaders first, so that captions cover their ends.
        for (int i = 0; i < boxes.Count; i++)
        {
            if (CaptionLayout.Leader(captions[i], rects[i]) is not var (from, to)) continue;
            leader.Color = ClassPalette.ColorOf(boxes[i].ClassId);
            canvas.DrawLine(from.X, from.Y, to.X, to.Y, leader);
        }
        // Last first: where a crowd left no free place, the earlier (higher-scoring) caption stays on top.
        for (int i = boxes.Count - 1; i >= 0; i--)
        {
            var color = ClassPalette.ColorOf(boxes[i].ClassId);
            var rect = SKRect.Create(captions[i].X, captions[i].Y, captions[i].Width, captions[i].Height);
            fill.Color = color;
            ink.Color = ClassPalette.TextColorOn(color);
            canvas.DrawRect(rect, fill);
            canvas.Save();
            canvas.ClipRect(rect);
            canvas.DrawText(texts[i], rect.Left + padX, rect.Top + padY - metrics.Ascent, font, ink);
            canvas.Restore();
        }
    }

    /// <summary>
    /// <paramref name="text"/> shortened to at most <paramref name="width"/> by cutting the middle: the last
    /// word (the score of a detection) stays whole as long as it fits, the start keeps as much as fits,
    /// and "…" marks the cut.
    /// </summary>
    internal static string Fit(string text, float width, Func<string, float> measure)
    {
        if (measure(text) <= width) return text;
        int space = text.LastIndexOf(' ');
        string head = space > 0 ? text[..space] : text, tail = space > 0 ? text[space..] : "";
        if (measure("…" + tail) > width)
        {
            head = text;
            tail = "";
        }
        for (int keep = head.Length - 1; keep > 0; keep--)
        {
            string shortened = head[..keep].TrimEnd() + "…" + tail;
            if (measure(shortened) <= width) return shortened;
        }
        return "…" + tail;
    }

    /// <summary>Encodes a bitmap to a file (atomically), choosing JPEG or PNG by extension (PNG otherwise).</summary>
    public static void Save(SKBitmap bitmap, string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var format = ext is ".jpg" or ".jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 92);
        AtomicFile.Write(path, data.SaveTo);
    }
}
