using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Inference;

public class PostProcessorTests
{
    private static readonly DetectionOptions Reference = new() { MaxDetections = null };

    /// <summary>The reference network's raw outputs for image_11, decoded against voc300's default boxes.</summary>
    private static NetworkPredictions FixtureCase()
    {
        var outputs = Fixtures.LoadTensors("ssd300_voc300_seed0_image11_outputs.safetensors");
        var raw = new RawPredictions(1, outputs["loc"].data<float>().ToArray(), outputs["conf"].data<float>().ToArray());
        return raw.Decode(DefaultBoxes.For(SsdPresets.Voc300));
    }

    [Fact]
    public void ReferenceOutputsGiveTheReferenceDetections()
    {
        var ours = PostProcessor.Run(FixtureCase(), Reference)[0];
        var expected = ReferenceDetections.Load();
        Assert.InRange(expected.Count, 1500, 2500);
        ReferenceDetections.AssertMatch(expected, ours, Reference.ConfidenceThreshold);
    }

    [Fact]
    public void GlobalCapKeepsTheHighestScores()
    {
        var predictions = FixtureCase();
        var all = PostProcessor.Run(predictions, Reference)[0];
        var capped = PostProcessor.Run(predictions, Reference with { MaxDetections = 50 })[0];
        Assert.Equal(50, capped.Length);
        Assert.Equal(all.Select(d => d.Score).OrderDescending().Take(50), capped.Select(d => d.Score));
    }

    /// <summary>Predictions of one image from corner boxes and class probabilities given by hand.</summary>
    private static NetworkPredictions Hand(float[,] corners, float[,] probabilities)
    {
        int priors = corners.GetLength(0), classes = probabilities.GetLength(1);
        return new NetworkPredictions(1, priors, classes, corners.Cast<float>().ToArray(), probabilities.Cast<float>().ToArray());
    }

    [Fact]
    public void HandMadeCaseSuppressesOverlapsPerClassOnly()
    {
        // Three boxes; the first two overlap heavily (IoU 0.9).
        var boxes = new float[,] { { 0.3f, 0.3f, 0.7f, 0.7f }, { 0.32f, 0.3f, 0.72f, 0.7f }, { 0.15f, 0.15f, 0.25f, 0.25f } };
        // Class 1 is likely for boxes 0 and 1 (0 more), class 2 for boxes 1 and 2.
        var probs = new float[,] { { 0.1f, 0.8f, 0.1f }, { 0.1f, 0.5f, 0.4f }, { 0.3f, 0.05f, 0.65f } };
        var result = PostProcessor.Run(Hand(boxes, probs), new DetectionOptions { ConfidenceThreshold = 0.06 })[0];
        // Class 1: box 0 (0.8) kept, box 1 (0.5) suppressed, box 2 (0.05) under threshold.
        // Class 2: box 2 (0.65) and box 1 (0.4) do not overlap: both kept, in score order.
        Assert.Equal(new[] { (1, 0.8f), (2, 0.65f), (2, 0.4f) }, result.Select(d => (d.ClassId, d.Score)));
        Assert.Equal(0.3f, result[0].X1);
        Assert.Equal(0.7f, result[0].X2);
    }

    [Fact]
    public void CandidatesAreWhatEntersNmsAndDetectionsNameTheirPrior()
    {
        var boxes = new float[,] { { 0.3f, 0.3f, 0.7f, 0.7f }, { 0.32f, 0.3f, 0.72f, 0.7f }, { 0.15f, 0.15f, 0.25f, 0.25f } };
        var probs = new float[,] { { 0.1f, 0.8f, 0.1f }, { 0.1f, 0.5f, 0.4f }, { 0.3f, 0.05f, 0.65f } };
        var options = new DetectionOptions { ConfidenceThreshold = 0.06 };
        var candidates = PostProcessor.Candidates(Hand(boxes, probs), options)[0];
        var kept = PostProcessor.Run(Hand(boxes, probs), options)[0];
        // Class 1: boxes 0 and 1 (box 2's 0.05 is under the threshold); class 2: boxes 2, 1 and 0; NMS then drops
        // class 1's box 1 and class 2's box 0 (each overlaps a higher one of its class by 0.9).
        Assert.Equal(new[] { (1, 0), (1, 1), (2, 2), (2, 1), (2, 0) }, candidates.Select(d => (d.ClassId, d.Prior)));
        Assert.Equal(new[] { (1, 0), (2, 2), (2, 1) }, kept.Select(d => (d.ClassId, d.Prior)));
        Assert.Equal(0.32f, candidates[1].X1);
        var agnostic = PostProcessor.Run(Hand(boxes, probs), options with { ClassAgnostic = true })[0];
        Assert.Equal(new[] { 0, 2 }, agnostic.Select(d => d.Prior));
    }

    [Fact]
    public void ClassAgnosticNmsSuppressesAcrossClasses()
    {
        var boxes = new float[,] { { 0.3f, 0.3f, 0.7f, 0.7f }, { 0.32f, 0.3f, 0.72f, 0.7f } };
        var probs = new float[,] { { 0.1f, 0.8f, 0.1f }, { 0.1f, 0.2f, 0.7f } };
        var perClass = PostProcessor.Run(Hand(boxes, probs), new DetectionOptions())[0];
        var agnostic = PostProcessor.Run(Hand(boxes, probs), new DetectionOptions { ClassAgnostic = true })[0];
        Assert.Equal(new[] { 1, 2 }, perClass.Select(d => d.ClassId));
        Assert.Equal(new[] { 1 }, agnostic.Select(d => d.ClassId));
    }

    [Fact]
    public void TopKKeepsTheHighestScoresAndEqualScoresInIndexOrder()
    {
        // Ten far-apart boxes of one class with scores 0.05 … 0.5, two of them equal.
        int n = 10;
        var boxes = new float[n, 4];
        var probs = new float[n, 2];
        float[] scores = [0.05f, 0.3f, 0.1f, 0.5f, 0.3f, 0.2f, 0.15f, 0.45f, 0.25f, 0.35f];
        for (int i = 0; i < n; i++)
        {
            boxes[i, 0] = i * 0.1f;
            boxes[i, 2] = i * 0.1f + 0.05f;
            boxes[i, 3] = 0.05f;
            probs[i, 1] = scores[i];
            probs[i, 0] = 1 - scores[i];
        }
        var result = PostProcessor.Run(Hand(boxes, probs), new DetectionOptions { TopK = 4, ConfidenceThreshold = 0.01 })[0];
        Assert.Equal(new[] { 0.5f, 0.45f, 0.35f, 0.3f }, result.Select(d => d.Score));
        // Of the two 0.3 scores, box 1 (the lower index) is the one kept.
        Assert.Equal(0.1f, result[3].X1);
    }

    [Fact]
    public void NmsKeepsNeitherOfEqualBoxesTwiceAndStopsAtTheCap()
    {
        float[] boxes = [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0.9f, 1];
        Assert.Equal(new[] { 0 }, Nms.Greedy(boxes, 0.45, maxKeep: 10));
        Assert.Equal(new[] { 0, 2 }, Nms.Greedy(boxes, 0.95, maxKeep: 10));
        Assert.Equal(new[] { 0 }, Nms.Greedy(boxes, 0.95, maxKeep: 1));
    }

    [Fact]
    public void EachImageOfABatchCanHaveItsOwnOptions()
    {
        var one = FixtureCase();
        var batch = one with { Count = 2, Boxes = [.. one.Boxes, .. one.Boxes], Scores = [.. one.Scores, .. one.Scores] };
        var strict = new DetectionOptions { ConfidenceThreshold = 0.5 };
        Assert.Equal(PostProcessor.Run(one, Reference)[0], PostProcessor.Run(batch, 0, Reference));
        Assert.Equal(PostProcessor.Run(one, strict)[0], PostProcessor.Run(batch, 1, strict));
        Assert.True(PostProcessor.Run(batch, 1, strict).Length < PostProcessor.Run(batch, 0, Reference).Length);
    }

    [Theory]
    [InlineData(double.NaN, 0.45, "conf-threshold")]
    [InlineData(0.01, double.NaN, "nms-threshold")]
    [InlineData(double.PositiveInfinity, 0.45, "conf-threshold")]
    public void NotANumberIsRefusedAsAThreshold(double confidence, double nms, string option)
    {
        var options = new DetectionOptions { ConfidenceThreshold = confidence, NmsThreshold = nms };
        Assert.StartsWith(option + ":", Assert.Throws<SsdInputException>(() => options.Validate()).Message);
    }
}
