using System.Globalization;
using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Imaging;

namespace SsdSharp.Explaining;

/// <summary>One default box of a chosen cell.</summary>
/// <param name="Prior">Its index among all default boxes.</param>
/// <param name="Shape">Which shape: <c>1</c> (side s), <c>1'</c> (side sqrt(s·s_next)), or an aspect ratio <c>2</c>, <c>1/2</c>…</param>
/// <param name="Cx">Centre x, normalised.</param>
/// <param name="Cy">Centre y, normalised.</param>
/// <param name="W">Width, normalised.</param>
/// <param name="H">Height, normalised.</param>
public sealed record PriorShape(int Prior, string Shape, float Cx, float Cy, float W, float H);

/// <summary>A cell of a source map and its default boxes, all aspect ratios and the extra scale.</summary>
/// <param name="Source">Source index.</param>
/// <param name="Row">Row of the cell.</param>
/// <param name="Column">Column of the cell.</param>
/// <param name="Boxes">Its boxes, in prior order.</param>
public sealed record PriorCell(int Source, int Row, int Column, IReadOnlyList<PriorShape> Boxes);

/// <summary>
/// <c>ssd explain priors</c>: for each source map, the default boxes of a few cells drawn on the input, the centres of
/// all its cells, and the scales and aspect ratios that make them (SPEC §2). The boxes are read from
/// <see cref="DefaultBoxes"/>, the very priors that detection decodes against and training matches.
/// </summary>
public static class PriorsExplanation
{
    /// <summary>
    /// The cells shown for source <paramref name="source"/>: the centre cell, and on maps of at least 4×4 a cell a
    /// quarter of the way in as well, whose boxes overlap the centre cell's less.
    /// </summary>
    public static IReadOnlyList<PriorCell> ChosenCells(SsdConfig config, DefaultBoxes boxes, int source)
    {
        int side = config.FeatureMaps[source];
        var cells = new List<(int Row, int Column)> { (side / 2, side / 2) };
        if (side >= 4) cells.Add((side / 4, side / 4));
        return cells.Select(c => CellOf(config, boxes, new PriorLocation(source, c.Row, c.Column, 0))).ToList();
    }

    /// <summary>The default boxes of the cell at <paramref name="location"/> (its box part is ignored).</summary>
    public static PriorCell CellOf(SsdConfig config, DefaultBoxes boxes, PriorLocation location)
    {
        var index = PriorIndex.For(config);
        var names = ShapeNames(config.AspectRatios[location.Source]);
        var shapes = names.Select((name, b) =>
        {
            int prior = index.IndexOf(location with { Box = b });
            var c = boxes.CenterForm.AsSpan(prior * 4, 4);
            return new PriorShape(prior, name, c[0], c[1], c[2], c[3]);
        }).ToList();
        return new PriorCell(location.Source, location.Row, location.Column, shapes);
    }

    /// <summary>The shapes of a cell in prior order: 1, 1', then r and 1/r for each ratio.</summary>
    public static IReadOnlyList<string> ShapeNames(IReadOnlyList<double> ratios) =>
        ["1", "1'", .. ratios.SelectMany(r => new[] { Ratio(r), "1/" + Ratio(r) })];

    /// <summary>The names of the pictures <see cref="Draw"/> writes for <paramref name="config"/>, in source order.</summary>
    public static IReadOnlyList<string> FileNames(SsdConfig config) => NetworkDiagram.Of(config).Sources.Select(s => FileName(s.Index)).ToArray();

    private static string FileName(int source) => $"priors-{source}.png";

    /// <summary>Draws one picture per source, <c>priors-{k}.png</c> in <paramref name="directory"/>, on <paramref name="image"/> or an empty input.</summary>
    /// <returns>The files written, in source order.</returns>
    public static IReadOnlyList<string> Draw(SsdConfig config, SKBitmap? image, string directory)
    {
        var boxes = DefaultBoxes.For(config);
        var diagram = NetworkDiagram.Of(config);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var source in diagram.Sources)
        {
            int k = source.Index, side = source.Size;
            var cells = ChosenCells(config, boxes, k);
            using var picture = new ExplainedPicture(image);
            var centres = Enumerable.Range(0, side * side).Select(cell =>
            {
                int prior = source.FirstPrior + cell * source.BoxesPerLocation;
                return (boxes.CenterForm[prior * 4], boxes.CenterForm[prior * 4 + 1]);
            });
            picture.DrawDots(centres, new SKColor(0x30, 0x30, 0x30, 0xb0), side > 30 ? 1.2f : 2.5f);
            // Shape b gets the colour of class id b + 1, so the legend's swatches name the shapes in every cell.
            picture.DrawBoxes(cells.SelectMany(c => c.Boxes.Select((b, i) =>
            {
                var (x1, y1, x2, y2) = boxes.CornersOf(b.Prior);
                return new LabeledBox(x1, y1, x2, y2, "", i + 1);
            })));

            var n = CultureInfo.InvariantCulture;
            double s = config.InputSize;
            var legend = new List<LegendLine>
            {
                new($"{config.Name}, source {k}: {source.Map}", Bold: true),
                new($"{side}×{side} cells, step {config.Steps[k].ToString("0.##", n)} px on the {config.InputSize}-px input"),
                new($"s = {source.MinSize.ToString("0.#", n)} px, s' = √(s·s_next) = {source.ExtraSize.ToString("0.#", n)} px"),
                new($"aspect ratios: {string.Join(", ", ShapeNames(config.AspectRatios[k]).Where(x => x != "1'"))}"),
                new($"{source.BoxesPerLocation} boxes × {side * side:N0} cells = {source.Priors:N0} default boxes"),
                new($"priors {source.FirstPrior}–{source.FirstPrior + source.Priors - 1} of {diagram.TotalPriors:N0}"),
                new(""),
                new("boxes of each shown cell (w × h, px):", Bold: true),
            };
            legend.AddRange(cells[0].Boxes.Select((b, i) => new LegendLine(
                $"{b.Shape,-4} {(b.W * s).ToString("0.#", n)} × {(b.H * s).ToString("0.#", n)}", ClassPalette.ColorOf(i + 1))));
            legend.Add(new(""));
            legend.Add(new("cells shown (row, column) → centre, px:", Bold: true));
            legend.AddRange(cells.Select(c => new LegendLine(
                $"({c.Row}, {c.Column}) → ({(c.Boxes[0].Cx * s).ToString("0.#", n)}, {(c.Boxes[0].Cy * s).ToString("0.#", n)})")));
            legend.Add(new($"dots: the centres of all {side * side:N0} cells"));
            if (config.Clip == DefaultBoxClip.All) legend.Add(new("clip: cx, cy, w and h each clamped to [0, 1]"));
            if (config.Clip == DefaultBoxClip.Sizes) legend.Add(new("clip: w and h clamped to [0, 1]"));
            var file = Path.Combine(directory, FileName(k));
            picture.Save(file, legend);
            files.Add(file);
        }
        return files;
    }

    private static string Ratio(double r) => r.ToString("0.###", CultureInfo.InvariantCulture);
}
