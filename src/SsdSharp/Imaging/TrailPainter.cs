using SkiaSharp;

namespace SsdSharp.Imaging;

/// <summary>Draws the paths that tracked objects have taken: a polyline through their recent centres.</summary>
public static class TrailPainter
{
    /// <summary>
    /// Draws each trail onto <paramref name="bitmap"/> in place, in the colour of its key (a track id), older parts
    /// fainter, with a dot at the newest point; line width scales with the image as the boxes' do.
    /// </summary>
    /// <param name="bitmap">The frame.</param>
    /// <param name="trails">Points oldest first, and the key that picks the colour (<see cref="ClassPalette"/>).</param>
    public static void Draw(SKBitmap bitmap, IEnumerable<(IReadOnlyList<(float X, float Y)> Points, int Key)> trails)
    {
        var scale = DrawingScale.For(bitmap.Width, bitmap.Height);
        using var canvas = new SKCanvas(bitmap);
        using var line = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = scale.LineWidth, IsAntialias = true, StrokeCap = SKStrokeCap.Round };
        using var dot = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        foreach (var (points, key) in trails)
        {
            if (points.Count == 0) continue;
            var colour = ClassPalette.ColorOf(key);
            for (int i = 1; i < points.Count; i++)
            {
                line.Color = colour.WithAlpha((byte)(64 + 191 * i / (points.Count - 1)));
                canvas.DrawLine(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, line);
            }
            dot.Color = colour;
            canvas.DrawCircle(points[^1].X, points[^1].Y, 1.5f * scale.LineWidth, dot);
        }
    }
}
