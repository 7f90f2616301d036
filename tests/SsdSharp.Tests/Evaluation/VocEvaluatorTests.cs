using SsdSharp.Evaluation;
using static SsdSharp.Tests.Evaluation.Scenes;

namespace SsdSharp.Tests.Evaluation;

public class VocEvaluatorTests
{
    [Fact]
    public void DuplicateDetectionOfATakenObjectIsAFalsePositive()
    {
        // rec = [.5, .5, 1], prec = [1, .5, 2/3].
        var truth = new[] { Image("i", Truth(0, 0, 99, 99), Truth(200, 200, 299, 299)) };
        var dets = Dets(("i", [Det(0.9f, 0, 0, 99, 99), Det(0.8f, 1, 1, 99, 99), Det(0.7f, 200, 200, 299, 299)]));
        var c = VocEvaluator.Evaluate(truth, dets, Classes).Classes[0];
        Assert.Equal((6 + 5 * (2.0 / 3)) / 11, c.Ap07!.Value, 1e-12);
        Assert.Equal(0.5 + 0.5 * (2.0 / 3), c.ApArea!.Value, 1e-12);
        Assert.Equal([1.0, 0.5, 2.0 / 3], c.Curve.Precision);
        Assert.Equal((2, 3), (c.NumGt, c.NumDet));
    }

    [Fact]
    public void MissedCountsTheObjectsThatNoDetectionFound()
    {
        // Three objects that count and a difficult one: the first found (and found again, a false positive), the second only
        // by a box of IoU 0.25, the third not at all, the difficult one found. Two are missed, so recall stops at 1/3.
        var truth = new[]
        {
            Image("i", Truth(0, 0, 99, 99), Truth(200, 200, 299, 299), Truth(400, 0, 449, 49, difficult: true)),
            Image("j", Truth(0, 0, 49, 49)),
        };
        var dets = Dets(("i", [Det(0.9f, 0, 0, 99, 99), Det(0.8f, 0, 0, 99, 99), Det(0.7f, 200, 200, 249, 249), Det(0.6f, 400, 0, 449, 49)]));
        var result = VocEvaluator.Evaluate(truth, dets, Classes);
        Assert.Equal((3, 2), (result.Classes[0].NumGt, result.Classes[0].NumMissed));
        Assert.Equal(1.0 / 3, result.Classes[0].Curve.Recall[^1], 1e-12);
        // A class without detections misses all of its objects; one without objects misses none.
        var none = VocEvaluator.Evaluate(truth, Dets(), Classes).Classes[0];
        Assert.Equal((3, 3), (none.NumGt, none.NumMissed));
        Assert.Equal(0, result.Classes[1].NumMissed);
    }

    [Fact]
    public void MatchToADifficultObjectCountsAsNeither()
    {
        // The first detection's best overlap is the difficult object: no false positive, so AP stays 1.
        var truth = new[] { Image("i", Truth(0, 0, 99, 99, difficult: true), Truth(200, 200, 299, 299)) };
        var dets = Dets(("i", [Det(0.9f, 0, 0, 99, 99), Det(0.8f, 200, 200, 299, 299)]));
        var c = VocEvaluator.Evaluate(truth, dets, Classes).Classes[0];
        Assert.Equal(1.0, c.Ap07!.Value, 1e-12);
        Assert.Equal(1.0, c.ApArea!.Value, 1e-12);
        Assert.Equal(1, c.NumGt);
    }

    [Fact]
    public void DifficultBestOverlapHidesAWeakerMatchToARealObject()
    {
        // IoU 0.62 with the real object but 1 with the difficult one: the devkit takes the best overlap only.
        var truth = new[] { Image("i", Truth(0, 0, 99, 61), Truth(0, 0, 99, 99, difficult: true)) };
        var c = VocEvaluator.Evaluate(truth, Dets(("i", [Det(0.9f, 0, 0, 99, 99)])), Classes).Classes[0];
        Assert.Equal(0.0, c.Ap07!.Value);
    }

    [Theory]
    [InlineData(4.2f, 1.0)] // devkit IoU 10·5.2 / 100 = 0.52 (continuous IoU would be 0.47)
    [InlineData(4.0f, 0.0)] // devkit IoU exactly 0.5: a match needs strictly more
    public void OverlapUsesInclusivePixelWidthsAndAStrictThreshold(float y2, double ap)
    {
        var truth = new[] { Image("i", Truth(0, 0, 9, 9)) };
        var c = VocEvaluator.Evaluate(truth, Dets(("i", [Det(0.9f, 0, 0, 9, y2)])), Classes).Classes[0];
        Assert.Equal(ap, c.Ap07!.Value, 1e-12);
    }

    [Fact]
    public void ClassWithoutGroundTruthHasNoApAndStaysOutOfTheMean()
    {
        var truth = new[] { Image("i", Truth(0, 0, 99, 99)), Image("empty") };
        var dets = Dets(("i", [Det(0.9f, 0, 0, 99, 99), Det(0.8f, 0, 0, 99, 99, classId: 2)]), ("empty", [Det(0.1f, 5, 5, 50, 50)]));
        var result = VocEvaluator.Evaluate(truth, dets, Classes);
        Assert.Null(result.Classes[1].Ap07);
        Assert.Null(result.Classes[1].ApArea);
        Assert.Equal(1, result.Classes[1].NumDet);
        // The detection on the empty image is a false positive after the true one: AP still 1.
        Assert.Equal(1.0, result.Map07!.Value, 1e-12);
        Assert.Equal(1.0, result.MapArea!.Value, 1e-12);
    }

    [Fact]
    public void EmptyImageDetectionRankedFirstLowersAp()
    {
        var truth = new[] { Image("i", Truth(0, 0, 99, 99)), Image("empty") };
        var dets = Dets(("i", [Det(0.5f, 0, 0, 99, 99)]), ("empty", [Det(0.9f, 5, 5, 50, 50)]));
        var c = VocEvaluator.Evaluate(truth, dets, Classes).Classes[0];
        Assert.Equal(0.5, c.Ap07!.Value, 1e-12);
        Assert.Equal(0.5, c.ApArea!.Value, 1e-12);
    }

    [Fact]
    public void NoDetectionsAtAllGivesApZero()
    {
        var truth = new[] { Image("i", Truth(0, 0, 99, 99), Truth(10, 10, 50, 50, classId: 2)) };
        var result = VocEvaluator.Evaluate(truth, Dets(), Classes);
        Assert.All(result.Classes, c => Assert.Equal((0.0, 0.0), (c.Ap07!.Value, c.ApArea!.Value)));
        Assert.Equal(0.0, result.Map07);
        Assert.Empty(result.Classes[0].Curve.Recall);
    }

    [Fact]
    public void DetectionOfAnUnknownImageOrClassIsRefused()
    {
        var truth = new[] { Image("i", Truth(0, 0, 99, 99)) };
        var unknownImage = Assert.Throws<SsdInputException>(() => VocEvaluator.Evaluate(truth, Dets(("j", [Det(0.5f, 0, 0, 9, 9)])), Classes));
        Assert.Contains("'j'", unknownImage.Message);
        var unknownClass = Assert.Throws<SsdInputException>(() => VocEvaluator.Evaluate(truth, Dets(("i", [Det(0.5f, 0, 0, 9, 9) with { ClassId = 3 }])), Classes));
        Assert.Contains("class id 3", unknownClass.Message);
    }
}
