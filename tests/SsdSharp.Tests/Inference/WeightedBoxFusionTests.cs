using SsdSharp.Inference;

namespace SsdSharp.Tests.Inference;

public sealed class WeightedBoxFusionTests
{
    private static NormalizedDetection Box(int classId, float score, float x1, float y1, float x2, float y2, int prior = -1) =>
        new(classId, score, x1, y1, x2, y2, prior);

    /// <summary>Equal up to float rounding of the means.</summary>
    private static void Close(IEnumerable<NormalizedDetection> expected, IEnumerable<NormalizedDetection> actual)
    {
        var (e, a) = (expected.ToArray(), actual.ToArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal((e[i].ClassId, e[i].Prior), (a[i].ClassId, a[i].Prior));
            float[] want = [e[i].Score, e[i].X1, e[i].Y1, e[i].X2, e[i].Y2], got = [a[i].Score, a[i].X1, a[i].Y1, a[i].X2, a[i].Y2];
            for (int j = 0; j < want.Length; j++) Assert.Equal(want[j], got[j], 6);
        }
    }

    [Fact]
    public void AViewFusedWithItselfIsUnchanged()
    {
        NormalizedDetection[] view = [Box(1, 0.9f, 0.1f, 0.1f, 0.4f, 0.5f, 7), Box(2, 0.6f, 0.5f, 0.5f, 0.9f, 0.8f, 9), Box(1, 0.3f, 0.6f, 0.1f, 0.9f, 0.3f, 2)];
        var fused = WeightedBoxFusion.Fuse([view, view], 0.45, classAgnostic: false);
        Close(view.OrderByDescending(d => d.Score), fused);
    }

    [Fact]
    public void ABoxOfOneViewKeepsItsPlaceAtHalfItsScore()
    {
        var only = Box(3, 0.8f, 0.2f, 0.2f, 0.3f, 0.3f, 5);
        Close([only with { Score = 0.4f }], WeightedBoxFusion.Fuse([[], [only]], 0.5, classAgnostic: false));
    }

    [Fact]
    public void OverlappingBoxesOfTwoViewsBecomeTheirScoreWeightedMean()
    {
        // IoU 0.6 (0.6 × 1 over 1 × 1): the same object at threshold 0.5.
        var a = Box(1, 0.9f, 0.0f, 0.0f, 1.0f, 1.0f, 4);
        var b = Box(1, 0.3f, 0.4f, 0.0f, 1.0f, 1.0f);
        var fused = Assert.Single(WeightedBoxFusion.Fuse([[b], [a]], 0.5, classAgnostic: false));
        Assert.Equal(1, fused.ClassId);
        Assert.Equal(0.6f, fused.Score, 6);
        Assert.Equal((0.9f * 0.0f + 0.3f * 0.4f) / 1.2f, fused.X1, 6);
        Assert.Equal(1.0f, fused.X2, 6);
        // The cluster is led by the higher-scoring box, whose default box it keeps.
        Assert.Equal(4, fused.Prior);
    }

    [Fact]
    public void BoxesOverlappingAtMostTheThresholdStaySeparate()
    {
        // IoU exactly 0.5: NMS at 0.5 keeps both, and so does the fusion.
        var a = Box(1, 0.9f, 0.0f, 0.0f, 1.0f, 1.0f);
        var b = Box(1, 0.8f, 0.5f, 0.0f, 1.0f, 1.0f);
        var fused = WeightedBoxFusion.Fuse([[a], [b]], 0.5, classAgnostic: false);
        Close([a with { Score = 0.45f }, b with { Score = 0.4f }], fused);
    }

    [Fact]
    public void ClassesFuseApartUnlessClassAgnostic()
    {
        var circle = Box(1, 0.9f, 0.1f, 0.1f, 0.5f, 0.5f);
        var square = Box(2, 0.7f, 0.1f, 0.1f, 0.5f, 0.5f);
        var perClass = WeightedBoxFusion.Fuse([[circle], [square]], 0.45, classAgnostic: false);
        Close([circle with { Score = 0.45f }, square with { Score = 0.35f }], perClass);
        Close([circle with { Score = 0.8f }], WeightedBoxFusion.Fuse([[circle], [square]], 0.45, classAgnostic: true));
    }

    [Fact]
    public void AViewCountsOnceInACluster()
    {
        // Two boxes of the second view fall in the first view's cluster: its best one stands for it.
        var lead = Box(1, 0.8f, 0.0f, 0.0f, 1.0f, 1.0f);
        var best = Box(1, 0.6f, 0.0f, 0.0f, 1.0f, 0.9f);
        var second = Box(1, 0.5f, 0.1f, 0.0f, 1.0f, 1.0f);
        var fused = Assert.Single(WeightedBoxFusion.Fuse([[lead], [best, second]], 0.5, classAgnostic: false));
        Assert.Equal(0.7f, fused.Score, 6);
        Assert.Equal(0.0f, fused.X1, 6);
        Assert.Equal((0.8f + 0.6f * 0.9f) / 1.4f, fused.Y2, 6);
    }

    [Fact]
    public void FusedDetectionsComeByDescendingScore()
    {
        NormalizedDetection[] first = [Box(1, 0.2f, 0.0f, 0.0f, 0.1f, 0.1f), Box(2, 0.9f, 0.5f, 0.5f, 0.6f, 0.6f)];
        NormalizedDetection[] second = [Box(3, 0.7f, 0.2f, 0.2f, 0.3f, 0.3f), Box(1, 0.1f, 0.0f, 0.0f, 0.1f, 0.1f)];
        Close([first[1] with { Score = 0.45f }, second[0] with { Score = 0.35f }, first[0] with { Score = 0.15f }],
            WeightedBoxFusion.Fuse([first, second], 0.45, classAgnostic: false));
    }
}
