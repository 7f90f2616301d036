using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Loss;
using SsdSharp.Matching;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Tests.Matching;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Loss;

public class MultiBoxLossTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void MatchesReferenceLosses(int seed)
    {
        using var scope = NewDisposeScope();
        using var reference = new ReferenceCase(seed);
        var matcher = new PriorMatcher(DefaultBoxes.For(SsdPresets.Voc300));
        using var matched = matcher.Match(reference.Targets());
        using var losses = new MultiBoxLoss().Compute(reference["loc_pred"], reference["conf_pred"], matched);
        TensorAssert.Close(reference["loss_l"].squeeze(), losses.Localization, rtol: 1e-5, atol: 0, what: "loss_l");
        TensorAssert.Close(reference["loss_c"].squeeze(), losses.Confidence, rtol: 1e-5, atol: 0, what: "loss_c");
        Assert.Equal(reference["num_pos"].sum().item<long>(), losses.NumPositives);
    }

    [Fact]
    public void BatchWithoutObjectsHasZeroLocalisationAndFiniteConfidence()
    {
        using var scope = NewDisposeScope();
        var priors = DefaultBoxes.For(SsdPresets.Voc300).ToTensor();
        var matcher = new PriorMatcher(DefaultBoxes.For(SsdPresets.Voc300));
        var empty = new ImageTargets(zeros(0, 4), zeros(0, ScalarType.Int64));
        using var matched = matcher.Match([empty, empty]);
        var loc = randn(2, priors.shape[0], 4).requires_grad_();
        var conf = randn(2, priors.shape[0], 21).requires_grad_();
        using var losses = new MultiBoxLoss().Compute(loc, conf, matched);
        Assert.Equal(0f, losses.Localization.item<float>());
        Assert.True(float.IsFinite(losses.Confidence.item<float>()));
        losses.Total().backward();
        Assert.NotNull(conf.grad);
        Assert.True(conf.grad.isfinite().all().item<bool>());
    }

    [Fact]
    public void KeepsThreeNegativesPerPositiveCappedAtAllButOnePrior()
    {
        using var scope = NewDisposeScope();
        const int classes = 5;
        // Uniform logits make every prior's cross entropy ln C, so loss_c counts the kept priors.
        var conf = zeros(2, 20, classes);
        var loc = zeros(2, 20, 4);
        var labels = zeros(2, 20, ScalarType.Int64);
        labels[0, 3] = tensor(2L);                 // image 0: 1 positive → 3 negatives
        labels[1, TensorIndex.Slice(0, 6)] = tensor(1L); // image 1: 6 positives → min(18, 19) = 14 negatives, all that are left
        var matched = new MatchedTargets(zeros(2, 20, 4), labels, (labels > 0).sum(1));
        using var losses = new MultiBoxLoss().Compute(loc, conf, matched);
        double expectedKept = (1 + 3) + (6 + 14);
        Assert.Equal(expectedKept * Math.Log(classes) / 7, losses.Confidence.item<float>(), 1e-5);
        Assert.Equal(7, losses.NumPositives);
    }

    [Fact]
    public void IgnoredPriorsAreNeitherScoredNorMined()
    {
        using var scope = NewDisposeScope();
        const int classes = 5;
        // Uniform logits everywhere but on priors 7 and 8, which look most like an object: as background they
        // would be the hardest negatives.
        var conf = zeros(1, 20, classes);
        conf[0, TensorIndex.Slice(7, 9), 2] = tensor(10f);
        var loc = zeros(1, 20, 4);
        var labels = zeros(1, 20, ScalarType.Int64);
        labels[0, 3] = tensor(2L);
        var background = new MatchedTargets(zeros(1, 20, 4), labels.clone(), (labels > 0).sum(1));
        labels[0, TensorIndex.Slice(7, 9)] = tensor(PriorMatcher.IgnoredLabel);
        var ignored = new MatchedTargets(zeros(1, 20, 4), labels, (labels > 0).sum(1));
        var loss = new MultiBoxLoss();

        Assert.True(loss.MineHardNegatives(conf, background)[0, 7].item<bool>());
        var mined = loss.MineHardNegatives(conf, ignored);
        Assert.False(mined[0, TensorIndex.Slice(7, 9)].any().item<bool>());
        // Three uniform negatives for the one positive, as if the ignored priors were not there.
        Assert.Equal(3L, mined.sum().item<long>());
        using var losses = loss.Compute(loc, conf, ignored);
        Assert.Equal(4 * Math.Log(classes), losses.Confidence.item<float>(), 1e-5);
        Assert.Equal(1, losses.NumPositives);
    }

    [Fact]
    public void LocalisationGradientOnlyReachesPositives()
    {
        using var scope = NewDisposeScope();
        var loc = randn(1, 10, 4).requires_grad_();
        var conf = randn(1, 10, 3).requires_grad_();
        var labels = zeros(1, 10, ScalarType.Int64);
        labels[0, 4] = tensor(1L);
        var matched = new MatchedTargets(randn(1, 10, 4), labels, (labels > 0).sum(1));
        using var losses = new MultiBoxLoss().Compute(loc, conf, matched);
        losses.Localization.backward();
        var rowHasGradient = loc.grad!.abs().sum(2).squeeze(0) > 0;
        Assert.Equal((labels.squeeze(0) > 0).data<bool>().ToArray(), rowHasGradient.data<bool>().ToArray());
    }
}
