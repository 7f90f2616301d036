using System.Globalization;
using System.Security;
using System.Text;
using SkiaSharp;
using SsdSharp.IO;

namespace SsdSharp.Imaging;

/// <summary>Where a <see cref="Sketch"/> text lies relative to its anchor point.</summary>
public enum TextAnchor
{
    /// <summary>The text starts at the point.</summary>
    Start,

    /// <summary>The text is centred on the point.</summary>
    Middle,

    /// <summary>The text ends at the point.</summary>
    End,
}

/// <summary>
/// A vector drawing built from rectangles, polygons, lines and text, written as SVG or rendered to PNG
/// with the same geometry: the one place that turns a computed layout (a network diagram) into a file.
/// Coordinates are in pixels of the PNG at scale 1, y downwards.
/// </summary>
/// <param name="width">Width of the drawing.</param>
/// <param name="height">Height of the drawing.</param>
public sealed class Sketch(float width, float height)
{
    private abstract record Shape;
    private sealed record PolygonShape(SKPoint[] Points, SKColor? Fill, SKColor? Stroke, float StrokeWidth) : Shape;
    private sealed record LineShape(SKPoint From, SKPoint To, SKColor Color, float Width, bool Arrow, bool Dashed) : Shape;
    private sealed record TextShape(SKPoint At, string Text, float Size, SKColor Color, TextAnchor Anchor, bool Bold) : Shape;

    private readonly List<Shape> _shapes = [];

    /// <summary>Width of the drawing in pixels.</summary>
    public float Width { get; } = width > 0 ? width : throw new ArgumentOutOfRangeException(nameof(width), width, "must be positive");

    /// <summary>Height of the drawing in pixels.</summary>
    public float Height { get; } = height > 0 ? height : throw new ArgumentOutOfRangeException(nameof(height), height, "must be positive");

    /// <summary>Width of <paramref name="text"/> at <paramref name="size"/> pixels, as the PNG renders it (the SVG's fonts are close).</summary>
    public static float MeasureText(string text, float size, bool bold = false)
    {
        using var font = BundledFont.Font(size, bold);
        return font.MeasureText(text);
    }

    /// <summary>Adds an axis-aligned rectangle.</summary>
    public void Rectangle(float x, float y, float width, float height, SKColor? fill, SKColor? stroke = null, float strokeWidth = 1) =>
        Polygon([new(x, y), new(x + width, y), new(x + width, y + height), new(x, y + height)], fill, stroke, strokeWidth);

    /// <summary>Adds a closed polygon.</summary>
    public void Polygon(IReadOnlyList<SKPoint> points, SKColor? fill, SKColor? stroke = null, float strokeWidth = 1) =>
        _shapes.Add(new PolygonShape(points.ToArray(), fill, stroke, strokeWidth));

    /// <summary>Adds a straight line, optionally ending in an arrow head or dashed.</summary>
    public void Line(float x1, float y1, float x2, float y2, SKColor color, float width = 1, bool arrow = false, bool dashed = false) =>
        _shapes.Add(new LineShape(new(x1, y1), new(x2, y2), color, width, arrow, dashed));

    /// <summary>Adds one line of text whose baseline passes through <paramref name="y"/>.</summary>
    public void Text(float x, float y, string text, float size, SKColor color, TextAnchor anchor = TextAnchor.Start, bool bold = false) =>
        _shapes.Add(new TextShape(new(x, y), text, size, color, anchor, bold));

    /// <summary>The drawing as an SVG document.</summary>
    public string ToSvg()
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\" ");
        svg.Append(CultureInfo.InvariantCulture, $"font-family=\"{BundledFont.SvgFamilies}\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        foreach (var shape in _shapes)
        {
            switch (shape)
            {
                case PolygonShape p:
                    svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(" ", p.Points.Select(q => $"{N(q.X)},{N(q.Y)}"))}\"{Paint("fill", p.Fill)}");
                    if (p.Stroke is { } stroke) svg.Append(CultureInfo.InvariantCulture, $"{Paint("stroke", stroke)} stroke-width=\"{N(p.StrokeWidth)}\" stroke-linejoin=\"round\"");
                    svg.Append("/>\n");
                    break;
                case LineShape l:
                    var end = l.Arrow ? ShortenForHead(l) : l.To;
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(l.From.X)}\" y1=\"{N(l.From.Y)}\" x2=\"{N(end.X)}\" y2=\"{N(end.Y)}\" {Paint("stroke", l.Color)} stroke-width=\"{N(l.Width)}\"{(l.Dashed ? " stroke-dasharray=\"4 3\"" : "")}/>\n");
                    if (l.Arrow) svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(" ", ArrowHead(l).Select(q => $"{N(q.X)},{N(q.Y)}"))}\"{Paint("fill", l.Color)}/>\n");
                    break;
                case TextShape t:
                    string anchor = t.Anchor switch { TextAnchor.Middle => "middle", TextAnchor.End => "end", _ => "start" };
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(t.At.X)}\" y=\"{N(t.At.Y)}\" font-size=\"{N(t.Size)}\"{Paint("fill", t.Color)} text-anchor=\"{anchor}\"{(t.Bold ? " font-weight=\"bold\"" : "")}>{SecurityElement.Escape(t.Text)}</text>\n");
                    break;
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>The drawing rendered at <paramref name="scale"/> (2 for a sharp image on a high-density screen).</summary>
    public SKBitmap ToBitmap(float scale = 1)
    {
        var bitmap = new SKBitmap((int)MathF.Ceiling(Width * scale), (int)MathF.Ceiling(Height * scale));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        canvas.Scale(scale);
        using var paint = new SKPaint { IsAntialias = true };
        foreach (var shape in _shapes)
        {
            switch (shape)
            {
                case PolygonShape p:
                    using (var path = Path(p.Points))
                    {
                        if (p.Fill is { } fill)
                        {
                            paint.Style = SKPaintStyle.Fill;
                            paint.Color = fill;
                            canvas.DrawPath(path, paint);
                        }
                        if (p.Stroke is { } stroke)
                        {
                            paint.Style = SKPaintStyle.Stroke;
                            paint.Color = stroke;
                            paint.StrokeWidth = p.StrokeWidth;
                            paint.StrokeJoin = SKStrokeJoin.Round;
                            canvas.DrawPath(path, paint);
                        }
                    }
                    break;
                case LineShape l:
                    paint.Style = SKPaintStyle.Stroke;
                    paint.Color = l.Color;
                    paint.StrokeWidth = l.Width;
                    using (var dash = l.Dashed ? SKPathEffect.CreateDash([4, 3], 0) : null)
                    {
                        paint.PathEffect = dash;
                        var end = l.Arrow ? ShortenForHead(l) : l.To;
                        canvas.DrawLine(l.From, end, paint);
                        paint.PathEffect = null;
                    }
                    if (l.Arrow)
                    {
                        paint.Style = SKPaintStyle.Fill;
                        using var head = Path(ArrowHead(l));
                        canvas.DrawPath(head, paint);
                    }
                    break;
                case TextShape t:
                    using (var font = BundledFont.Font(t.Size, t.Bold))
                    {
                        paint.Style = SKPaintStyle.Fill;
                        paint.Color = t.Color;
                        var align = t.Anchor switch { TextAnchor.Middle => SKTextAlign.Center, TextAnchor.End => SKTextAlign.Right, _ => SKTextAlign.Left };
                        canvas.DrawText(t.Text, t.At.X, t.At.Y, align, font, paint);
                    }
                    break;
            }
        }
        return bitmap;
    }

    /// <summary>Writes the drawing as SVG (<c>.svg</c>) or PNG (<c>.png</c>, at twice the size), atomically.</summary>
    /// <exception cref="SsdInputException">Another extension.</exception>
    public void Save(string path)
    {
        switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
        {
            case ".svg":
                AtomicFile.WriteAllText(path, ToSvg());
                break;
            case ".png":
                using (var bitmap = ToBitmap(2))
                using (var image = SKImage.FromBitmap(bitmap))
                using (var data = image.Encode(SKEncodedImageFormat.Png, 100))
                    AtomicFile.Write(path, stream => data.SaveTo(stream));
                break;
            default:
                throw new SsdInputException($"{path}: a drawing is written as .svg or .png");
        }
    }

    private static SKPath Path(IReadOnlyList<SKPoint> points)
    {
        var path = new SKPath();
        path.AddPoly(points.ToArray(), close: true);
        return path;
    }

    private static float HeadLength(LineShape l) => 4 + 2 * l.Width;

    /// <summary>Where the shaft of an arrow ends: at the base of its head, so that a thick shaft does not poke through the tip.</summary>
    private static SKPoint ShortenForHead(LineShape l)
    {
        var (dx, dy, length) = Direction(l);
        float back = Math.Min(HeadLength(l), length);
        return new SKPoint(l.To.X - dx * back, l.To.Y - dy * back);
    }

    private static SKPoint[] ArrowHead(LineShape l)
    {
        var (dx, dy, _) = Direction(l);
        float length = HeadLength(l), half = length / 2;
        var base0 = new SKPoint(l.To.X - dx * length, l.To.Y - dy * length);
        return [l.To, new(base0.X - dy * half, base0.Y + dx * half), new(base0.X + dy * half, base0.Y - dx * half)];
    }

    private static (float Dx, float Dy, float Length) Direction(LineShape l)
    {
        float dx = l.To.X - l.From.X, dy = l.To.Y - l.From.Y, length = MathF.Sqrt(dx * dx + dy * dy);
        return length == 0 ? (1, 0, 0) : (dx / length, dy / length, length);
    }

    private static string N(float value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An SVG paint attribute, with its opacity when the colour is translucent (SVG 1.1 has no rgba).</summary>
    private static string Paint(string attribute, SKColor? color)
    {
        if (color is not { } c) return $" {attribute}=\"none\"";
        var paint = $" {attribute}=\"#{c.Red:x2}{c.Green:x2}{c.Blue:x2}\"";
        return c.Alpha == 255 ? paint : paint + $" {attribute}-opacity=\"{(c.Alpha / 255.0).ToString("0.###", CultureInfo.InvariantCulture)}\"";
    }
}
