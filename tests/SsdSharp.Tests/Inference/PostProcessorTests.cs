using SsdSharp.Boxes;
using SsdSharp.Inference;
using SsdSharp.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Inference;

public class PostProcessorTests
{
    private static readonly DetectionOptions Reference = new() { MaxDetections = null };

    [Fact]
    public void ReferenceOutputsGiveTheReferenceDetections()
    {
        var outputs = Fixtures.LoadTensors("ssd300_voc300_seed0_image11_outputs.safetensors");
        var ours = PostProcessor.Run(outputs["loc"].unsqueeze(0), outputs["conf"].unsqueeze(0), outputs["priors"], new BoxCoder(), Reference)[0];
        var expected = ReferenceDetections.Load();
        Assert.InRange(expected.Count, 1500, 2500);
        ReferenceDetections.AssertMatch(expected, ours, Reference.ConfidenceThreshold);
    }

    [Fact]
    public void GlobalCapKeepsTheHighestScores()
    {
        var outputs = Fixtures.LoadTensors("ssd300_voc300_seed0_image11_outputs.safetensors");
        var all = PostProcessor.Run(outputs["loc"].unsqueeze(0), outputs["conf"].unsqueeze(0), outputs["priors"], new BoxCoder(), Reference)[0];
        var capped = PostProcessor.Run(outputs["loc"].unsqueeze(0), outputs["conf"].unsqueeze(0), outputs["priors"], new BoxCoder(),
            Reference with { MaxDetections = 50 })[0];
        Assert.Equal(50, capped.Length);
        Assert.Equal(all.Select(d => d.Score).OrderDescending().Take(50), capped.Select(d => d.Score));
    }

    [Fact]
    public void HandMadeCaseSuppressesOverlapsPerClassOnly()
    {
        // Three priors; two overlap heavily (IoU 0.81). Zero offsets decode to the priors themselves.
        using var priors = tensor(new float[,] { { 0.5f, 0.5f, 0.4f, 0.4f }, { 0.52f, 0.5f, 0.4f, 0.4f }, { 0.2f, 0.2f, 0.1f, 0.1f } });
        using var loc = zeros(1, 3, 4);
        // Class 1 is likely for priors 0 and 1 (0 more), class 2 for prior 1 and 2.
        var probs = new float[,] { { 0.1f, 0.8f, 0.1f }, { 0.1f, 0.5f, 0.4f }, { 0.3f, 0.05f, 0.65f } };
        using var conf = tensor(probs).log().unsqueeze(0);
        var result = PostProcessor.Run(loc, conf, priors, new BoxCoder(), new DetectionOptions { ConfidenceThreshold = 0.06 })[0];
        // Class 1: prior 0 (0.8) kept, prior 1 (0.5) suppressed, prior 2 (0.05) under threshold.
        // Class 2: prior 2 (0.65) and prior 1 (0.4) do not overlap: both kept, in score order.
        Assert.Equal(new[] { (1, 0.8f), (2, 0.65f), (2, 0.4f) }, result.Select(d => (d.ClassId, MathF.Round(d.Score, 4))));
        Assert.Equal(0.3f, result[0].X1, 5);
        Assert.Equal(0.7f, result[0].X2, 5);
    }

    [Fact]
    public void ClassAgnosticNmsSuppressesAcrossClasses()
    {
        using var priors = tensor(new float[,] { { 0.5f, 0.5f, 0.4f, 0.4f }, { 0.52f, 0.5f, 0.4f, 0.4f } });
        using var loc = zeros(1, 2, 4);
        using var conf = tensor(new float[,] { { 0.1f, 0.8f, 0.1f }, { 0.1f, 0.2f, 0.7f } }).log().unsqueeze(0);
        var perClass = PostProcessor.Run(loc, conf, priors, new BoxCoder(), new DetectionOptions())[0];
        var agnostic = PostProcessor.Run(loc, conf, priors, new BoxCoder(), new DetectionOptions { ClassAgnostic = true })[0];
        Assert.Equal(new[] { 1, 2 }, perClass.Select(d => d.ClassId));
        Assert.Equal(new[] { 1 }, agnostic.Select(d => d.ClassId));
    }

    [Fact]
    public void NmsKeepsTheLaterOfEqualBoxesNeverAndRespectsValidity()
    {
        using var boxes = tensor(new float[,,] { { { 0, 0, 1, 1 }, { 0, 0, 1, 1 }, { 2, 2, 3, 3 }, { 0, 0, 0.9f, 1 } } });
        using var valid = tensor(new[,] { { true, true, false, true } });
        var kept = Nms.BatchedGreedy(boxes, valid, 0.45, maxKeep: 10);
        Assert.Equal(new[] { 0 }, kept[0]);
        var threshold95 = Nms.BatchedGreedy(boxes, valid, 0.95, maxKeep: 10);
        Assert.Equal(new[] { 0, 3 }, threshold95[0]);
        var one = Nms.BatchedGreedy(boxes, valid, 0.95, maxKeep: 1);
        Assert.Equal(new[] { 0 }, one[0]);
    }
}
