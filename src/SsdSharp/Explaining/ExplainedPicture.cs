using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Explaining;

/// <summary>One line of an <see cref="ExplainedPicture"/>'s legend: text, with a colour swatch when it names drawn boxes.</summary>
/// <param name="Text">The text.</param>
/// <param name="Swatch">Colour of the boxes it names; none for plain text.</param>
/// <param name="Bold">Whether it is a heading.</param>
public readonly record struct LegendLine(string Text, SKColor? Swatch = null, bool Bold = false);

/// <summary>
/// The layout shared by the pictures of <c>ssd explain</c>: what the network sees (the input, S×S, shown at
/// <see cref="ViewSize"/> pixels so that square default boxes stay square) with boxes drawn on it, and a legend
/// panel on its right that says what each colour is and gives the numbers.
/// </summary>
internal sealed class ExplainedPicture : IDisposable
{
    /// <summary>Side of the drawn view of the network input, in pixels.</summary>
    public const int ViewSize = 480;

    private const int PanelWidth = 380, Pad = 12, FontSize = 13, LineHeight = 18;
    private static readonly SKColor Background = new(0xf2, 0xf2, 0xf2);

    private readonly SKBitmap _view;

    /// <summary>A view of <paramref name="image"/> stretched to the square input, or of an empty grey input when null.</summary>
    public ExplainedPicture(SKBitmap? image)
    {
        _view = new SKBitmap(ViewSize, ViewSize);
        using var canvas = new SKCanvas(_view);
        canvas.Clear(Background);
        if (image != null)
        {
            using var source = SKImage.FromBitmap(image);
            using var paint = new SKPaint();
            canvas.DrawImage(source, new SKRect(0, 0, ViewSize, ViewSize), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
        }
    }

    /// <summary>Boxes in normalised corner form drawn on the view with <see cref="BoxPainter"/>; the colour comes from each box's class id.</summary>
    public void DrawBoxes(IEnumerable<LabeledBox> normalised) =>
        BoxPainter.Draw(_view, normalised.Select(b => b with { X1 = b.X1 * ViewSize, Y1 = b.Y1 * ViewSize, X2 = b.X2 * ViewSize, Y2 = b.Y2 * ViewSize }));

    /// <summary>Outlines of normalised corner-form boxes without captions, for boxes too many to name one by one.</summary>
    public void DrawOutlines(IEnumerable<(float X1, float Y1, float X2, float Y2)> normalised, SKColor color, float width, bool dashed = false)
    {
        using var canvas = new SKCanvas(_view);
        using var dash = dashed ? SKPathEffect.CreateDash([5, 3], 0) : null;
        using var paint = new SKPaint { Color = color, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width, PathEffect = dash };
        foreach (var (x1, y1, x2, y2) in normalised) canvas.DrawRect(new SKRect(x1 * ViewSize, y1 * ViewSize, x2 * ViewSize, y2 * ViewSize), paint);
    }

    /// <summary>Dots at normalised points (the centres of default boxes).</summary>
    public void DrawDots(IEnumerable<(float X, float Y)> points, SKColor color, float radius)
    {
        using var canvas = new SKCanvas(_view);
        using var paint = new SKPaint { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };
        foreach (var (x, y) in points) canvas.DrawCircle(x * ViewSize, y * ViewSize, radius, paint);
    }

    /// <summary>Writes the view and the legend beside it as a PNG.</summary>
    public void Save(string path, IReadOnlyList<LegendLine> legend)
    {
        int height = Math.Max(ViewSize, Pad * 2 + legend.Count * LineHeight);
        using var bitmap = new SKBitmap(ViewSize + PanelWidth, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(_view, 0, 0);
            using var regular = BundledFont.Font(FontSize);
            using var bold = BundledFont.Font(FontSize, bold: true);
            using var ink = new SKPaint { Color = new SKColor(0x20, 0x24, 0x2a), IsAntialias = true };
            using var swatch = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 3, IsAntialias = true };
            float y = Pad;
            foreach (var line in legend)
            {
                y += LineHeight;
                float x = ViewSize + Pad;
                if (line.Swatch is { } color)
                {
                    swatch.Color = color;
                    canvas.DrawRect(x + 1.5f, y - FontSize + 1.5f, 18, FontSize - 2, swatch);
                    x += 26;
                }
                canvas.DrawText(line.Text, x, y, line.Bold ? bold : regular, ink);
            }
        }
        BoxPainter.Save(bitmap, path);
    }

    public void Dispose() => _view.Dispose();
}
