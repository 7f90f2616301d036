using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Matching;
using SsdSharp.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Matching;

public class PriorMatcherTests
{
    private static PriorMatcher Voc300Matcher()
    {
        return new PriorMatcher(DefaultBoxes.For(SsdPresets.Voc300));
    }

    private static ImageTargets Targets(float[,] boxes, long[] labels) =>
        new(tensor(boxes), tensor(labels));

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void MatchesReferenceTargets(int seed)
    {
        using var scope = NewDisposeScope();
        using var reference = new ReferenceCase(seed);
        using var matched = Voc300Matcher().Match(reference.Targets());
        Assert.Equal(reference["conf_target"].shape, matched.Labels.shape);
        Assert.Equal(0L, reference["conf_target"].ne(matched.Labels).sum().item<long>());
        Assert.Equal(reference["num_pos"].data<long>().ToArray(), matched.NumPositives.data<long>().ToArray());
        TensorAssert.Close(reference["loc_target"], matched.Loc, atol: 1e-6, what: "location targets");
    }

    [Fact]
    public void EveryTruthGetsItsBestPriorEvenBelowThreshold()
    {
        using var scope = NewDisposeScope();
        var matcher = Voc300Matcher();
        // The 4-pixel box overlaps no prior by 0.5 but must still be matched to its best prior.
        var image = Targets(new float[,] { { 0.10f, 0.10f, 0.40f, 0.45f }, { 0.60f, 0.55f, 0.95f, 0.90f }, { 0.50f, 0.20f, 0.513f, 0.213f } }, [3, 7, 12]);
        using var matched = matcher.Match([image]);
        var defaultBoxes = DefaultBoxes.For(SsdPresets.Voc300);
        using var priors = defaultBoxes.ToTensor();
        var bestPrior = BoxOps.Iou(image.Boxes, BoxOps.CenterToCorner(priors)).argmax(1);
        for (int t = 0; t < 3; t++)
        {
            long p = bestPrior[t].item<long>();
            Assert.Equal(image.Labels[t].item<long>(), matched.Labels[0, p].item<long>());
            var decoded = new float[4];
            defaultBoxes.Coder.Decode(matched.Loc[0, p].data<float>().ToArray(), priors[p].data<float>().ToArray(), decoded);
            TensorAssert.Close(image.Boxes[t], tensor(decoded), atol: 1e-5, what: $"truth {t} decoded from its best prior");
        }
        Assert.True(BoxOps.Iou(image.Boxes[2..3], BoxOps.CenterToCorner(priors)).max().item<float>() < 0.5f);
    }

    [Fact]
    public void IgnoredRegionsTakeOnlyTheBackgroundPriorsTheyWouldBeMatchedTo()
    {
        using var scope = NewDisposeScope();
        var matcher = Voc300Matcher();
        var objects = Targets(new float[,] { { 0.10f, 0.10f, 0.40f, 0.45f }, { 0.60f, 0.55f, 0.95f, 0.90f } }, [3, 7]);
        // An ignored region over the first object (shifted a little), a tiny one (no prior reaches 0.5: only its best
        // prior is taken) and a large one elsewhere.
        var regions = tensor(new float[,] { { 0.12f, 0.11f, 0.42f, 0.46f }, { 0.50f, 0.20f, 0.513f, 0.213f }, { 0.05f, 0.55f, 0.45f, 0.95f } });
        var withRegions = new ImageTargets(cat([objects.Boxes, regions], 0), tensor(new long[] { 3, 7, -2, -5, -9 }));
        using var alone = matcher.Match([objects]);
        using var matched = matcher.Match([withRegions]);

        // The objects' priors, targets and counts are what they are without the regions.
        var positive = alone.Labels > 0;
        Assert.Equal(alone.Labels.masked_select(positive).data<long>().ToArray(), matched.Labels.masked_select(positive).data<long>().ToArray());
        Assert.Equal(alone.NumPositives.data<long>().ToArray(), matched.NumPositives.data<long>().ToArray());
        var positiveRows = positive[0].nonzero().squeeze(1);
        TensorAssert.Close(alone.Loc[0].index_select(0, positiveRows), matched.Loc[0].index_select(0, positiveRows), atol: 0, what: "location targets of the positives");

        // Every other prior is ignored exactly when a region overlaps it by 0.5 or it is a region's best prior.
        using var priors = DefaultBoxes.For(SsdPresets.Voc300).ToTensor();
        var overlaps = BoxOps.Iou(regions, BoxOps.CenterToCorner(priors));               // [3, P]
        var taken = (overlaps >= 0.5f).any(0);
        taken.index_fill_(0, overlaps.argmax(1), true);
        var expected = alone.Labels[0].masked_fill(positive[0].logical_not().logical_and(taken), PriorMatcher.IgnoredLabel);
        Assert.Equal(expected.data<long>().ToArray(), matched.Labels[0].data<long>().ToArray());
        Assert.True((matched.Labels == PriorMatcher.IgnoredLabel).sum().item<long>() > 3, "the large regions take several priors");
        Assert.Equal(PriorMatcher.IgnoredLabel, matched.Labels[0, overlaps[1].argmax().item<long>()].item<long>());
    }

    [Fact]
    public void SharedBestPriorGoesToTheLaterTruth()
    {
        using var scope = NewDisposeScope();
        var matcher = Voc300Matcher();
        // Truths 0 and 2 are the same box, so they share every overlap and the best prior; truth 1 lies elsewhere.
        var image = Targets(new float[,] { { 0.2f, 0.2f, 0.5f, 0.6f }, { 0.6f, 0.1f, 0.9f, 0.3f }, { 0.2f, 0.2f, 0.5f, 0.6f } }, [4, 9, 15]);
        using var matched = matcher.Match([image]);
        using var priors = DefaultBoxes.For(SsdPresets.Voc300).ToTensor();
        var overlaps = BoxOps.Iou(image.Boxes, BoxOps.CenterToCorner(priors));
        long shared = overlaps[0].argmax().item<long>();
        Assert.Equal(shared, overlaps[2].argmax().item<long>());
        Assert.Equal(15L, matched.Labels[0, shared].item<long>());
        // Elsewhere an overlap tie goes to the first truth, as in the reference's max over truths.
        var tiedAboveThreshold = (overlaps[0] >= 0.5f).nonzero().flatten();
        Assert.True(tiedAboveThreshold.numel() > 1);
        foreach (var p in tiedAboveThreshold.data<long>().Where(p => p != shared))
        {
            Assert.Equal(4L, matched.Labels[0, p].item<long>());
        }
    }

    [Fact]
    public void ImageWithoutObjectsIsAllBackgroundWithFiniteTargets()
    {
        using var scope = NewDisposeScope();
        var empty = new ImageTargets(zeros(0, 4), zeros(0, ScalarType.Int64));
        var one = Targets(new float[,] { { 0.1f, 0.1f, 0.6f, 0.7f } }, [2]);
        using var matched = Voc300Matcher().Match([empty, one]);
        Assert.Equal(0L, matched.NumPositives[0].item<long>());
        Assert.True(matched.NumPositives[1].item<long>() > 0);
        Assert.Equal(0L, matched.Labels[0].count_nonzero().item<long>());
        Assert.True(matched.Loc.isfinite().all().item<bool>());
    }

    [Fact]
    public void MismatchedBoxAndLabelCountsAreRefused()
    {
        using var scope = NewDisposeScope();
        var bad = new ImageTargets(zeros(2, 4), zeros(1, ScalarType.Int64));
        var e = Assert.Throws<ArgumentException>(() => Voc300Matcher().Match([bad]));
        Assert.Contains("image 0", e.Message);
    }
}
