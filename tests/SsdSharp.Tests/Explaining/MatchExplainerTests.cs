using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Explaining;
using SsdSharp.Loss;
using SsdSharp.Matching;
using SsdSharp.Modeling;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Explaining;

public sealed class MatchExplainerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ssd-match").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A 400×300 image with a large circle, a mid-sized square and a 6×6-pixel star (too small for any default box).</summary>
    private ImageAnnotation Image()
    {
        var path = Path.Combine(_directory, "image.png");
        using (var bitmap = new SKBitmap(400, 300))
        {
            bitmap.Erase(SKColors.Gray);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
        }
        return new ImageAnnotation("image", path, 400, 300,
        [
            new ObjectAnnotation(1, "circle", 40, 30, 240, 260),
            new ObjectAnnotation(2, "square", 250, 40, 330, 120),
            new ObjectAnnotation(4, "star", 350, 250, 356, 256),
        ]);
    }

    [Fact]
    public void PositivesAreTheMatchersAndEveryObjectGetsOne()
    {
        var config = SsdPresets.Shapes300;
        var image = Image();
        var match = MatchExplainer.Explain(config, image);

        using var scope = NewDisposeScope();
        var truths = tensor(image.Objects.SelectMany(o => new[] { o.X1 / 400, o.Y1 / 300, o.X2 / 400, o.Y2 / 300 }).ToArray(), [3, 4]);
        using var matched = new PriorMatcher(DefaultBoxes.For(config)).Match([new ImageTargets(truths, tensor(new long[] { 1, 2, 4 }))]);
        var labels = matched.Labels[0].data<long>().ToArray();
        Assert.Equal(matched.NumPositives[0].item<long>(), match.Positives.Count);
        Assert.Equal(Enumerable.Range(0, labels.Length).Where(p => labels[p] > 0), match.Positives.Select(p => p.Prior));
        Assert.All(match.Positives, p => Assert.Equal(image.Objects[p.Truth].ClassId, labels[p.Prior]));
        Assert.All(match.Positives, p => Assert.Equal(PriorIndex.For(config).SourceOf(p.Prior), p.Source));
        Assert.All(Enumerable.Range(0, 3), t => Assert.NotEmpty(match.PositivesOf(t)));
        Assert.Null(match.HardNegatives);

        // The tiny star overlaps no default box by 0.5: its single positive is the forced best match.
        var star = Assert.Single(match.PositivesOf(2));
        Assert.True(star.Forced);
        Assert.Equal(match.BestIous[2], star.Iou, 6);
        Assert.True(star.Iou < 0.5);
        Assert.Equal(0, star.Source);
        Assert.All(match.PositivesOf(0).Concat(match.PositivesOf(1)), p => Assert.Equal(p.Iou < 0.5, p.Forced));
        Assert.Equal(match.Positives.Count(p => p.Iou < 0.5), match.ForcedCount);
    }

    [Fact]
    public void HardNegativesAreTheLossesThreePerPositive()
    {
        var config = SsdPresets.Shapes300;
        using var network = new SsdNetwork(config);
        network.Initialize();
        var match = MatchExplainer.Explain(config, Image(), network: network);
        var negatives = Assert.IsAssignableFrom<IReadOnlyList<(int Prior, int Source)>>(match.HardNegatives);
        Assert.Equal(3 * match.Positives.Count, negatives.Count);
        Assert.Empty(negatives.Select(n => n.Prior).Intersect(match.Positives.Select(p => p.Prior)));
        Assert.All(negatives, n => Assert.Equal(PriorIndex.For(config).SourceOf(n.Prior), n.Source));
        Assert.Equal(3, new MultiBoxLoss().NegativesPerPositive);
    }

    [Fact]
    public void LegendCountsMatchTheExplanation()
    {
        var config = SsdPresets.Shapes300;
        var match = MatchExplainer.Explain(config, Image());
        var legend = MatchPicture.Legend(match, config).Select(l => l.Text).ToList();
        Assert.Contains($"3 object(s), {match.Positives.Count} positive priors:", legend);
        Assert.Contains(legend, l => l.StartsWith("#2 star 6×6 px: 1 matched", StringComparison.Ordinal));
        Assert.Contains("hard negatives: give --weights to mine them", legend);
        var file = Path.Combine(_directory, "match.png");
        MatchPicture.Save(match, config, file);
        Assert.True(new FileInfo(file).Length > 0);
    }
}
