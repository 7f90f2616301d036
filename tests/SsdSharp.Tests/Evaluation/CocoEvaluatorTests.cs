using SsdSharp.Evaluation;
using static SsdSharp.Tests.Evaluation.Scenes;

namespace SsdSharp.Tests.Evaluation;

public class CocoEvaluatorTests
{
    private static CocoMetrics Metrics(SsdSharp.Data.ImageAnnotation[] truth, Dictionary<string, IReadOnlyList<SsdSharp.Inference.Detection>> dets) =>
        CocoEvaluator.Evaluate(truth, dets, Classes).Metrics;

    [Fact]
    public void ThresholdsAreTheApisLinspaceValues()
    {
        Assert.Equal(10, CocoEvaluator.IouThresholds.Count);
        Assert.Equal(0.5, CocoEvaluator.IouThresholds[0]);
        Assert.Equal(0.75, CocoEvaluator.IouThresholds[5]);
        Assert.Equal(0.95, CocoEvaluator.IouThresholds[9]);
        Assert.Equal(101, CocoEvaluator.RecallThresholds.Count);
        // 57 · 0.01 rounds above 0.57 in doubles, as in NumPy; a recall of exactly 57/100 does not reach it.
        Assert.Equal(57 * 0.01, CocoEvaluator.RecallThresholds[57]);
        Assert.True(CocoEvaluator.RecallThresholds[57] > 57 / 100.0);
    }

    [Fact]
    public void TwelveNumbersOfAHandComputedCase()
    {
        // d1 has IoU 0.72 with g1 (true positive up to IoU 0.70), d2 is exact on g2; both large.
        var truth = new[] { Image("i", Truth(0, 0, 100, 100), Truth(200, 200, 300, 300)) };
        var m = Metrics(truth, Dets(("i", [Det(0.9f, 0, 0, 100, 72), Det(0.8f, 200, 200, 300, 300)])));
        var above = 51 * 0.5 / 101; // thresholds ≥ 0.75: rc [0, .5], envelope [.5, .5]: 51 recall points at 0.5
        Assert.Equal((5 + 5 * above) / 10, m.AP, 1e-12);
        Assert.Equal(1.0, m.AP50, 1e-12);
        Assert.Equal(above, m.AP75, 1e-12);
        Assert.Equal((-1.0, -1.0), (m.APs, m.APm));
        // For the large range d1 (area 7200) is outside when unmatched: ignored, not a false positive.
        Assert.Equal((5 + 5 * (51.0 / 101)) / 10, m.APl, 1e-12);
        Assert.Equal(0.25, m.AR1, 1e-12); // one detection per image: d1 only
        Assert.Equal(0.75, m.AR10, 1e-12);
        Assert.Equal(0.75, m.AR100, 1e-12);
        Assert.Equal((-1.0, -1.0, 0.75), (m.ARs, m.ARm, m.ARl));
    }

    [Fact]
    public void DetectionsInsideACrowdRegionAreIgnoredNotFalsePositives()
    {
        // Box IoU with the crowd region is 0.04, but the crowd rule (intersection / detection area) gives 1.
        var truth = new[] { Image("i", Truth(0, 0, 500, 400, crowd: true), Truth(520, 400, 600, 470)) };
        var dets = Dets(("i", [Det(0.9f, 10, 10, 110, 90), Det(0.95f, 100, 100, 200, 180), Det(0.8f, 520, 400, 600, 470)]));
        var m = Metrics(truth, dets);
        Assert.Equal(1.0, m.AP, 1e-12);
        Assert.Equal(1.0, m.AR100, 1e-12);
        // The same scene with an ordinary object: both detections become false positives ranked first.
        var plain = new[] { Image("i", Truth(0, 0, 500, 400), Truth(520, 400, 600, 470)) };
        Assert.True(Metrics(plain, dets).AP < 0.6);
    }

    [Fact]
    public void DifficultObjectIsACrowdRegionForCoco()
    {
        var truth = new[] { Image("i", Truth(0, 0, 500, 400, difficult: true), Truth(520, 400, 600, 470)) };
        var dets = Dets(("i", [Det(0.9f, 10, 10, 110, 90), Det(0.8f, 520, 400, 600, 470)]));
        Assert.Equal(1.0, Metrics(truth, dets).AP, 1e-12);
    }

    [Fact]
    public void MatchToRealGroundTruthIsKeptOverABetterCrowdMatch()
    {
        // IoU 0.82 with the object, 1 with the crowd region: up to IoU 0.80 the object wins (the API's break),
        // above it only the crowd region matches and the detection is ignored: 7 of 10 thresholds at AP 1.
        var truth = new[] { Image("i", Truth(0, 0, 100, 100), Truth(0, 0, 200, 200, crowd: true)) };
        var m = Metrics(truth, Dets(("i", [Det(0.9f, 0, 0, 100, 82)])));
        Assert.Equal(0.7, m.AP, 1e-12);
    }

    [Fact]
    public void DuplicateIsAFalsePositiveAtEveryThreshold()
    {
        var truth = new[] { Image("i", Truth(0, 0, 100, 100)) };
        var m = Metrics(truth, Dets(("i", [Det(0.9f, 0, 0, 100, 100), Det(0.95f, 0, 0, 100, 99)])));
        // The higher-scored near-duplicate (IoU 0.99) takes the object at every threshold; the exact one is a false positive.
        Assert.Equal(1.0, m.AP, 1e-12);
        var reversed = Metrics(truth, Dets(("i", [Det(0.9f, 0, 0, 100, 100), Det(0.95f, 0, 0, 100, 60)])));
        // Now the first detection (IoU 0.6) fails above 0.6 and the exact one, second, takes the object: precision 1/2.
        Assert.Equal((3 + 7 * 0.5) / 10, reversed.AP, 1e-12);
    }

    [Fact]
    public void AreaRangesUseTheAnnotationArea()
    {
        // A 50×50 box (medium by box area) whose stored area is 500 (small).
        var truth = new[] { Image("i", Truth(0, 0, 50, 50, area: 500)) };
        var m = Metrics(truth, Dets(("i", [Det(0.9f, 0, 0, 50, 50)])));
        Assert.Equal(1.0, m.APs, 1e-12);
        Assert.Equal((-1.0, -1.0), (m.APm, m.APl));
    }

    [Fact]
    public void OnlyTheTopHundredDetectionsPerImageCount()
    {
        var truth = new[] { Image("i", Truth(0, 0, 100, 100)) };
        var misses = Enumerable.Range(0, 100).Select(j => Det(0.9f - j * 0.001f, 300, 300, 350, 350));
        var hit = Det(0.1f, 0, 0, 100, 100);
        Assert.Equal(0.0, Metrics(truth, Dets(("i", [.. misses, hit]))).AR100);
        Assert.Equal(1.0, Metrics(truth, Dets(("i", [.. misses.Skip(1), hit]))).AR100, 1e-12);
    }

    [Fact]
    public void CategoriesWithoutGroundTruthAreExcluded()
    {
        var truth = new[] { Image("i", Truth(0, 0, 100, 100)), Image("empty") };
        var result = CocoEvaluator.Evaluate(truth, Dets(("i", [Det(0.9f, 0, 0, 100, 100), Det(0.9f, 0, 0, 100, 100, classId: 2)])), Classes);
        Assert.Equal(1.0, result.Metrics.AP, 1e-12);
        Assert.Null(result.Classes[1].AP);
        Assert.Equal(1.0, result.Classes[0].AP!.Value, 1e-12);
    }

    [Fact]
    public void NoDetectionsAtAllGivesZeroNotACrash()
    {
        var truth = new[] { Image("i", Truth(0, 0, 100, 100), Truth(0, 0, 10, 10, classId: 2)) };
        var m = Metrics(truth, Dets());
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (m.AP, m.AP50, m.AR100, m.APs));
        Assert.Equal(-1.0, m.APm);
    }
}
