using System.Globalization;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Imaging;
using SsdSharp.IO;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;

namespace SsdSharp.Explaining;

/// <summary>A detection with the default box and source map it came from.</summary>
/// <param name="Detection">The detection, normalised, with its prior index.</param>
/// <param name="Location">Source map, cell and shape of its default box.</param>
/// <param name="Box">The box in pixels of the image, clipped, as <see cref="SsdDetector"/> reports it.</param>
public sealed record ExplainedDetection(NormalizedDetection Detection, PriorLocation Location, PixelBox Box);

/// <summary>
/// What post-processing (SPEC §5) did to one image's predictions: per class the candidates that entered NMS and
/// the detections it kept, each with its source map (from its prior index), as <c>ssd explain detect</c> draws them.
/// The kept ones are exactly <see cref="SsdDetector"/>'s result for the same options.
/// </summary>
/// <param name="Image">The image's path.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Candidates">Before NMS: per class (ascending id), the top-k above the confidence threshold.</param>
/// <param name="Kept">After NMS (and the cap), by descending score.</param>
public sealed record DetectionExplanation(string Image, int Width, int Height, IReadOnlyList<ExplainedDetection> Candidates, IReadOnlyList<ExplainedDetection> Kept)
{
    /// <summary>Runs <paramref name="detector"/> on the image at <paramref name="path"/> and keeps the steps of post-processing.</summary>
    /// <exception cref="ImageDecodeException">The file is missing or not an image.</exception>
    /// <exception cref="ArgumentException">The detector detects with test-time augmentation: the steps explained are those of one view.</exception>
    public static DetectionExplanation Of(SsdDetector detector, string path)
    {
        if (detector.Options.TestTimeAugmentation)
            throw new ArgumentException("explanations follow one view through post-processing: test-time augmentation is not supported", nameof(detector));
        var image = RgbImage.Decode(path);
        var predictions = detector.Backend.Run(detector.Preprocess([image]), 1);
        var index = PriorIndex.For(detector.Config);
        var options = detector.Detection;
        ExplainedDetection Explain(NormalizedDetection d) => new(d, index.Locate(d.Prior), d.ToPixels(image.Width, image.Height));
        var candidates = PostProcessor.Candidates(predictions, options)[0].Select(Explain).ToList();
        var kept = PostProcessor.Run(predictions, options)[0].OrderByDescending(d => d.Score).Select(Explain).ToList();
        return new DetectionExplanation(path, image.Width, image.Height, candidates, kept);
    }

    /// <summary>The names of the pictures <see cref="Draw"/> writes: the overview, then one per class with candidates.</summary>
    public IReadOnlyList<string> FileNames(SsdConfig config)
    {
        var classFiles = ClassFileNames(config);
        return [OverviewFileName, .. Candidates.Select(d => d.Detection.ClassId).Distinct().Select(id => classFiles[id])];
    }

    private const string OverviewFileName = "detect.png";

    /// <summary><c>detect-{class}.png</c> of each class with candidates, in the order drawn, distinct whatever the class names.</summary>
    private Dictionary<int, string> ClassFileNames(SsdConfig config)
    {
        var names = new DistinctFileNames("detect-", ".png");
        return Candidates.Select(d => d.Detection.ClassId).Distinct().ToDictionary(id => id, id => names.For(config.LabelOf(id)));
    }

    /// <summary>
    /// Draws <c>detect.png</c> (the kept detections, each captioned with its source map) and, per class with candidates,
    /// <c>detect-{class}.png</c> (its candidates before NMS, thin, and the kept ones) into <paramref name="directory"/>.
    /// </summary>
    /// <returns>The files written.</returns>
    public IReadOnlyList<string> Draw(SsdConfig config, DetectionOptions options, string directory)
    {
        var diagram = NetworkDiagram.Of(config);
        var n = CultureInfo.InvariantCulture;
        Directory.CreateDirectory(directory);
        using var bitmap = ImageDecoder.Decode(Image);
        var files = new List<string>();

        var settings = new LegendLine($"score > {options.ConfidenceThreshold.ToString("0.###", n)}, top-k {options.TopK}, NMS IoU {options.NmsThreshold.ToString("0.##", n)}");
        using (var overview = new ExplainedPicture(bitmap))
        {
            overview.DrawBoxes(Kept.Select(d => Labeled(d, $"{config.LabelOf(d.Detection.ClassId)} {d.Detection.Score:0.00} · src {d.Location.Source}")));
            var legend = new List<LegendLine>
            {
                new($"{Path.GetFileName(Image)} ({Width}×{Height}), {config.Name}", Bold: true),
                new($"stretched to the {config.InputSize}-px square input"),
                settings,
                new($"{Candidates.Count} candidates → {Kept.Count} detections after NMS"),
                new(""),
                new("kept detections (score, source map, cell, shape):", Bold: true),
            };
            legend.AddRange(Kept.Take(14).Select(d => new LegendLine(Describe(d, config, diagram), ClassPalette.ColorOf(d.Detection.ClassId))));
            if (Kept.Count > 14) legend.Add(new($"… and {Kept.Count - 14} more"));
            legend.Add(new(""));
            legend.Add(new("kept per source:", Bold: true));
            legend.AddRange(diagram.Sources.Select(s => new LegendLine($"  {s.Index} {s.Map} ({s.Size}×{s.Size}): {Kept.Count(d => d.Location.Source == s.Index)}")));
            files.Add(Path.Combine(directory, OverviewFileName));
            overview.Save(files[^1], legend);
        }

        var classFiles = ClassFileNames(config);
        foreach (var group in Candidates.GroupBy(d => d.Detection.ClassId))
        {
            var label = config.LabelOf(group.Key);
            var color = ClassPalette.ColorOf(group.Key);
            var kept = Kept.Where(d => d.Detection.ClassId == group.Key).ToList();
            using var picture = new ExplainedPicture(bitmap);
            picture.DrawOutlines(group.Select(d => (d.Detection.X1, d.Detection.Y1, d.Detection.X2, d.Detection.Y2)), color.WithAlpha(0x90), 1);
            picture.DrawBoxes(kept.Select(d => Labeled(d, $"{d.Detection.Score:0.00} · src {d.Location.Source}")));
            var legend = new List<LegendLine>
            {
                new($"class {label}: before and after NMS", Bold: true),
                settings,
                new($"{group.Count()} candidates (thin) → {kept.Count} kept (captioned)", color),
                new(""),
                new("candidates per source → kept:", Bold: true),
            };
            legend.AddRange(diagram.Sources.Select(s => new LegendLine(
                $"  {s.Index} {s.Map} ({s.Size}×{s.Size}): {group.Count(d => d.Location.Source == s.Index)} → {kept.Count(d => d.Location.Source == s.Index)}")));
            legend.Add(new(""));
            legend.Add(new("kept:", Bold: true));
            legend.AddRange(kept.Take(12).Select(d => new LegendLine(Describe(d, config, diagram))));
            if (kept.Count > 12) legend.Add(new($"… and {kept.Count - 12} more"));
            var file = Path.Combine(directory, classFiles[group.Key]);
            picture.Save(file, legend);
            files.Add(file);
        }
        return files;
    }

    private static LabeledBox Labeled(ExplainedDetection d, string caption) =>
        new(d.Detection.X1, d.Detection.Y1, d.Detection.X2, d.Detection.Y2, caption, d.Detection.ClassId);

    private static string Describe(ExplainedDetection d, SsdConfig config, NetworkDiagram diagram)
    {
        var (k, row, column, box) = d.Location;
        var shape = PriorsExplanation.ShapeNames(config.AspectRatios[k])[box];
        return $"{config.LabelOf(d.Detection.ClassId)} {d.Detection.Score:0.00}: src {k} {diagram.Sources[k].Map}, ({row}, {column}), {shape}";
    }
}
