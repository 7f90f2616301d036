using System.Globalization;
using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Imaging;

namespace SsdSharp.Explaining;

/// <summary>
/// Draws a <see cref="MatchExplanation"/> on the image as the network sees it: each object in its own colour with
/// the default boxes matched to it (dashed: positive only by the forced best match), the hard negatives in grey,
/// and the counts per object and per source map beside it.
/// </summary>
public static class MatchPicture
{
    /// <summary>Colour of the mined hard negatives.</summary>
    public static readonly SKColor NegativeColor = new(0x40, 0x40, 0x40, 0x90);

    /// <summary>Writes the picture to <paramref name="path"/> (PNG).</summary>
    public static void Save(MatchExplanation match, SsdConfig config, string path)
    {
        using var image = ImageDecoder.Decode(match.Image.ImagePath);
        using var picture = new ExplainedPicture(image);
        var boxes = DefaultBoxes.For(config);
        if (match.HardNegatives is { } negatives)
            picture.DrawOutlines(negatives.Select(n => boxes.CornersOf(n.Prior)), NegativeColor, 1);
        for (int t = 0; t < match.Truths.Count; t++)
        {
            var color = ColorOf(t);
            picture.DrawOutlines(match.PositivesOf(t).Where(p => !p.Forced).Select(p => boxes.CornersOf(p.Prior)), color, 1.5f);
            picture.DrawOutlines(match.PositivesOf(t).Where(p => p.Forced).Select(p => boxes.CornersOf(p.Prior)), color, 2, dashed: true);
        }
        var (w, h) = ((float)match.Image.Width, (float)match.Image.Height);
        picture.DrawBoxes(match.Truths.Select((o, t) => new LabeledBox(o.X1 / w, o.Y1 / h, o.X2 / w, o.Y2 / h, $"#{t} {o.Label}", ColorIdOf(t))));
        picture.Save(path, Legend(match, config));
    }

    /// <summary>The legend: settings, each object's matches, and the counts per source.</summary>
    public static IReadOnlyList<LegendLine> Legend(MatchExplanation match, SsdConfig config)
    {
        var n = CultureInfo.InvariantCulture;
        var diagram = NetworkDiagram.Of(config);
        var lines = new List<LegendLine>
        {
            new($"{match.Image.Id} ({match.Image.Width}×{match.Image.Height}), {config.Name}", Bold: true),
            new($"stretched to the {config.InputSize}-px square input, as trained"),
            new($"IoU threshold {match.Threshold.ToString("0.##", n)}; {config.NumPriors:N0} default boxes"),
            new(""),
            new($"{match.Truths.Count} object(s), {match.Positives.Count} positive priors:", Bold: true),
        };
        for (int t = 0; t < match.Truths.Count; t++)
        {
            var o = match.Truths[t];
            var mine = match.PositivesOf(t).ToList();
            lines.Add(new($"#{t} {o.Label} {o.Width:0}×{o.Height:0} px: {mine.Count} matched", ColorOf(t)));
            lines.Add(new($"     {mine.Count(p => p.Forced)} forced; best IoU {match.BestIous[t].ToString("0.00", n)}; sources {PerSource(mine.Select(p => p.Source))}"));
        }
        lines.Add(new("dashed: forced best match (IoU < threshold)"));
        lines.Add(new(""));
        lines.Add(new("positives per source:", Bold: true));
        lines.AddRange(SourceLines(diagram, match.Positives.Select(p => p.Source)));
        lines.Add(new(""));
        if (match.HardNegatives is { } negatives)
        {
            lines.Add(new($"hard negatives ({match.NegativesPerPositive}:1 mining): {negatives.Count}", NegativeColor, Bold: true));
            lines.AddRange(SourceLines(diagram, negatives.Select(x => x.Source)));
        }
        else
        {
            lines.Add(new("hard negatives: give --weights to mine them"));
        }
        return lines;
    }

    /// <summary>The colour of object <paramref name="truth"/>: one per object, so that two objects of a class stay apart.</summary>
    public static SKColor ColorOf(int truth) => ClassPalette.ColorOf(ColorIdOf(truth));

    private static int ColorIdOf(int truth) => truth + 1;

    private static IEnumerable<LegendLine> SourceLines(NetworkDiagram diagram, IEnumerable<int> sources)
    {
        var counts = sources.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        return diagram.Sources.Select(s => new LegendLine($"  {s.Index} {s.Map} ({s.Size}×{s.Size}): {counts.GetValueOrDefault(s.Index)}"));
    }

    private static string PerSource(IEnumerable<int> sources) =>
        string.Join(", ", sources.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
}
