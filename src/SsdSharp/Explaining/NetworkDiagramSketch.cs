using System.Globalization;
using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Explaining;

/// <summary>
/// Lays a <see cref="NetworkDiagram"/> out left to right like the paper's figure 2: every feature map as a slab
/// (height from its side, thickness from its channels), the VGG base and extra layers bracketed below, and over
/// each source map its loc/conf heads with the default boxes it contributes, all collected into the detections
/// that NMS reduces.
/// </summary>
public static class NetworkDiagramSketch
{
    private const float Margin = 20, Gap = 26, TitleSize = 16, NameSize = 12, TextSize = 10.5f, LineHeight = 14;
    private const float MaxSlab = 150, MinSlab = 18;
    private static readonly SKColor Ink = new(0x20, 0x24, 0x2a), Muted = new(0x5f, 0x66, 0x70), MapFill = new(0xdf, 0xe3, 0xe8);

    /// <summary>The drawing of <paramref name="diagram"/>.</summary>
    public static Sketch Draw(NetworkDiagram diagram)
    {
        // Columns: the input, then every feature map.
        var columns = new List<Column> { new("input", [], diagram.InputSize, 3, null) };
        columns.AddRange(diagram.Maps.Select(m => new Column(m.Name, m.Layers, m.Size, m.Channels, m.Source is int k ? diagram.Sources[k] : null)));
        foreach (var c in columns) c.Measure(diagram.InputSize);

        float headHeight = 5 * LineHeight + 8;
        float busY = Margin + TitleSize + 2 * LineHeight + 12;
        float headTop = busY + 22;
        float slabTop = headTop + headHeight + 30;
        float slabBottom = slabTop + MaxSlab + 0.35f * MaxSlab;
        float labelTop = slabBottom + 12;
        int maxLines = columns.Max(c => c.Layers.Count);
        float bracketY = labelTop + (3 + maxLines) * LineHeight + 8;

        float x = Margin;
        foreach (var c in columns)
        {
            c.Left = x;
            x += c.Width + Gap;
        }
        string detections = $"{diagram.TotalPriors.ToString("N0", CultureInfo.InvariantCulture)} detections per class";
        float boxWidth = Math.Max(Sketch.MeasureText(detections, NameSize, bold: true), Sketch.MeasureText("non-maximum suppression", TextSize)) + 20;
        float width = x + boxWidth + Margin;
        var sketch = new Sketch(width, bracketY + 3 * LineHeight + Margin);

        sketch.Text(Margin, Margin + TitleSize, $"{diagram.Name}: SSD with a {diagram.InputSize}×{diagram.InputSize} input, " +
            $"{diagram.Classes} classes with background, {diagram.Sources.Count} source maps, {diagram.TotalPriors.ToString("N0", CultureInfo.InvariantCulture)} default boxes",
            TitleSize, Ink, bold: true);
        sketch.Text(Margin, Margin + TitleSize + LineHeight + 4,
            "Each source map feeds two 3×3 convolutions: loc (4 offsets per default box) and conf (a score per class and box); their outputs line up with the default boxes in source order.",
            TextSize, Muted);

        float midY = slabTop + 0.35f * MaxSlab + MaxSlab / 2;
        for (int i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            DrawSlab(sketch, c, midY);
            if (i > 0) sketch.Line(columns[i - 1].SlabRight + 4, midY, c.SlabLeft - 4, midY, Muted, 1.2f, arrow: true);
            DrawLabels(sketch, c, labelTop);
            if (c.Source is { } s) DrawHead(sketch, c, s, headTop, headHeight, busY, midY);
        }

        // The heads' outputs are concatenated into the detections, which NMS reduces per class.
        var sources = columns.Where(c => c.Source != null).ToList();
        float boxLeft = x;
        sketch.Line(sources[0].Centre, busY, boxLeft - 2, busY, Ink, 1.4f, arrow: true);
        sketch.Rectangle(boxLeft, busY - 16, boxWidth, 2 * LineHeight + 8, new SKColor(0xff, 0xf4, 0xd6), Ink);
        sketch.Text(boxLeft + boxWidth / 2, busY - 1, detections, NameSize, Ink, TextAnchor.Middle, bold: true);
        sketch.Text(boxLeft + boxWidth / 2, busY + LineHeight - 1, "decoded against the default boxes", TextSize, Muted, TextAnchor.Middle);
        float nmsTop = busY + 2 * LineHeight + 30;
        sketch.Line(boxLeft + boxWidth / 2, busY + 2 * LineHeight - 8, boxLeft + boxWidth / 2, nmsTop - 2, Ink, 1.4f, arrow: true);
        sketch.Rectangle(boxLeft, nmsTop, boxWidth, 2 * LineHeight + 8, new SKColor(0xe4, 0xf2, 0xe4), Ink);
        sketch.Text(boxLeft + boxWidth / 2, nmsTop + LineHeight + 1, "non-maximum suppression", TextSize, Ink, TextAnchor.Middle);
        sketch.Text(boxLeft + boxWidth / 2, nmsTop + 2 * LineHeight + 1, "per class → final detections", TextSize, Muted, TextAnchor.Middle);

        DrawBracket(sketch, columns.Skip(1), DiagramPart.Base, diagram, bracketY,
            $"VGG base{(diagram.BatchNorm ? " with batch norm" : "")}, fc6 and fc7 as convolutions");
        DrawBracket(sketch, columns.Skip(1), DiagramPart.Extras, diagram, bracketY, "extra feature layers");
        return sketch;
    }

    private static void DrawSlab(Sketch sketch, Column c, float midY)
    {
        float top = midY - c.SlabHeight / 2, depth = 0.5f * c.SlabHeight, rise = 0.35f * c.SlabHeight;
        float left = c.SlabLeft;
        var fill = c.Source is { } s ? Lighter(ClassPalette.ColorOf(s.Index + 1)) : c.Name == "input" ? new SKColor(0xf4, 0xf4, 0xf4) : MapFill;
        var stroke = c.Source is { } t ? ClassPalette.ColorOf(t.Index + 1) : Muted;
        // Front (channels × height), top and side (the map's second spatial axis, in oblique projection).
        sketch.Polygon([new(left, top), new(left + depth, top - rise), new(left + depth + c.Thickness, top - rise), new(left + c.Thickness, top)], fill, stroke);
        sketch.Polygon([new(left + c.Thickness, top), new(left + depth + c.Thickness, top - rise), new(left + depth + c.Thickness, top - rise + c.SlabHeight),
            new(left + c.Thickness, top + c.SlabHeight)], fill, stroke);
        sketch.Rectangle(left, top, c.Thickness, c.SlabHeight, fill, stroke);
    }

    private static void DrawLabels(Sketch sketch, Column c, float top)
    {
        float y = top + NameSize;
        sketch.Text(c.Centre, y, c.Name, NameSize, Ink, TextAnchor.Middle, bold: true);
        sketch.Text(c.Centre, y += LineHeight, c.Shape, TextSize, Ink, TextAnchor.Middle);
        foreach (var line in c.Layers) sketch.Text(c.Centre, y += LineHeight, line, TextSize, Muted, TextAnchor.Middle);
    }

    private static void DrawHead(Sketch sketch, Column c, DiagramSource s, float top, float height, float busY, float midY)
    {
        var color = ClassPalette.ColorOf(s.Index + 1);
        float left = c.Centre - c.HeadWidth / 2;
        sketch.Line(c.SlabLeft + c.Thickness / 2, midY - c.SlabHeight / 2 - 2, c.SlabLeft + c.Thickness / 2, top + height + 2, color, 1.4f, arrow: true);
        sketch.Rectangle(left, top, c.HeadWidth, height, Lighter(color), color, 1.2f);
        float y = top + 4;
        foreach (var (line, bold) in HeadLines(s)) sketch.Text(c.Centre, y += LineHeight, line, bold ? NameSize : TextSize, Ink, TextAnchor.Middle, bold);
        sketch.Line(c.Centre, top, c.Centre, busY, color, 1.4f);
    }

    private static IEnumerable<(string Text, bool Bold)> HeadLines(DiagramSource s)
    {
        var n = CultureInfo.InvariantCulture;
        yield return ($"source {s.Index}{(s.L2Norm ? ", L2Norm" : "")}", true);
        yield return ($"loc: conv 3×3, {s.LocChannels}", false);
        yield return ($"conf: conv 3×3, {s.ConfChannels}", false);
        yield return ($"{s.Size}×{s.Size} × {s.BoxesPerLocation} = {s.Priors.ToString("N0", n)} boxes", true);
        yield return ($"priors {s.FirstPrior}–{s.FirstPrior + s.Priors - 1}", false);
    }

    private static void DrawBracket(Sketch sketch, IEnumerable<Column> maps, DiagramPart part, NetworkDiagram diagram, float y, string label)
    {
        var names = diagram.Maps.Where(m => m.Part == part).Select(m => m.Name).ToHashSet();
        var covered = maps.Where(c => names.Contains(c.Name)).ToList();
        if (covered.Count == 0) return;
        float left = covered[0].Left, right = covered[^1].Left + covered[^1].Width;
        sketch.Line(left, y - 6, left, y, Muted);
        sketch.Line(left, y, right, y, Muted);
        sketch.Line(right, y - 6, right, y, Muted);
        sketch.Text((left + right) / 2, y + LineHeight + 2, label, NameSize, Ink, TextAnchor.Middle, bold: true);
    }

    private static SKColor Lighter(SKColor c) => new((byte)(c.Red + (255 - c.Red) * 3 / 4), (byte)(c.Green + (255 - c.Green) * 3 / 4), (byte)(c.Blue + (255 - c.Blue) * 3 / 4));

    private sealed class Column(string name, IReadOnlyList<string> layers, int size, int channels, DiagramSource? source)
    {
        public string Name { get; } = name;
        public IReadOnlyList<string> Layers { get; } = layers;
        public DiagramSource? Source { get; } = source;
        public string Shape { get; } = $"{size}×{size}×{channels}";
        public float SlabHeight { get; private set; }
        public float Thickness { get; private set; }
        public float HeadWidth { get; private set; }
        public float Width { get; private set; }
        public float Left { get; set; }
        public float SlabLeft => Centre - (Thickness + 0.5f * SlabHeight) / 2;
        public float SlabRight => SlabLeft + Thickness + 0.5f * SlabHeight;
        public float Centre => Left + Width / 2;

        public void Measure(int inputSize)
        {
            // Side on a square-root scale, channels on a log scale: 1×1 maps and 3-channel inputs stay visible.
            SlabHeight = MinSlab + (MaxSlab - MinSlab) * MathF.Sqrt((float)size / inputSize);
            Thickness = 3 + 3.2f * MathF.Log2(Math.Max(3, channels) / 3f);
            float text = Math.Max(Sketch.MeasureText(Name, NameSize, bold: true), Layers.Append(Shape).Max(l => Sketch.MeasureText(l, TextSize)));
            HeadWidth = Source is { } s ? HeadLines(s).Max(l => Sketch.MeasureText(l.Text, l.Bold ? NameSize : TextSize, l.Bold)) + 12 : 0;
            Width = Math.Max(Math.Max(text, HeadWidth), Thickness + 0.5f * SlabHeight);
        }
    }
}
