using SsdSharp.Matching;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SsdSharp.Loss;

/// <summary>
/// The SSD objective (SPEC §4): Smooth L1 localisation loss over the positive priors plus
/// softmax cross entropy over the positives and the hardest negatives, at most
/// <see cref="NegativesPerPositive"/> negatives per positive in each image, both divided by the
/// number of positives in the batch.
/// </summary>
/// <param name="negativesPerPositive">Ratio of mined negatives to positives; 3 in the reference.</param>
public sealed class MultiBoxLoss(int negativesPerPositive = 3)
{
    /// <summary>Ratio of mined negatives to positives.</summary>
    public int NegativesPerPositive { get; } = negativesPerPositive > 0
        ? negativesPerPositive
        : throw new ArgumentOutOfRangeException(nameof(negativesPerPositive), negativesPerPositive, "must be positive");

    /// <summary>Computes both loss terms.</summary>
    /// <param name="loc">Predicted offsets <c>[B, P, 4]</c> float32 (the network's <c>loc</c> output).</param>
    /// <param name="conf">Class logits <c>[B, P, C]</c> float32, C including the background (the network's <c>conf</c> output).</param>
    /// <param name="targets">Matched targets of the same batch (<see cref="PriorMatcher.Match"/>).</param>
    public MultiBoxLosses Compute(Tensor loc, Tensor conf, MatchedTargets targets)
    {
        if (loc.dim() != 3 || conf.dim() != 3 || loc.shape[2] != 4 || conf.shape[0] != loc.shape[0] || conf.shape[1] != loc.shape[1])
            throw new ArgumentException($"loc must be [B, P, 4] and conf [B, P, C] with the same B and P, got [{string.Join(", ", loc.shape)}] and [{string.Join(", ", conf.shape)}]");
        if (!targets.Labels.shape.SequenceEqual(conf.shape.Take(2)))
            throw new ArgumentException($"targets are for [{string.Join(", ", targets.Labels.shape)}] priors, predictions for [{loc.shape[0]}, {loc.shape[1]}]", nameof(targets));
        using var scope = NewDisposeScope();
        long numPriors = conf.shape[1];
        long numClasses = conf.shape[2];
        var labels = targets.Labels;
        var positive = labels > 0;                                                  // [B, P]
        long numPositives = targets.NumPositives.sum().item<long>();

        // Reference order: select the positives' rows first, then sum, so that float32 sums agree.
        var positiveOffsets = positive.unsqueeze(-1).expand_as(loc);
        var localization = F.smooth_l1_loss(loc.masked_select(positiveOffsets).view(-1, 4),
            targets.Loc.masked_select(positiveOffsets).view(-1, 4), nn.Reduction.Sum);

        var negative = MineHardNegatives(conf, labels, positive, targets.NumPositives, numPriors);
        var kept = positive.logical_or(negative);
        var keptLogits = conf.masked_select(kept.unsqueeze(-1).expand_as(conf)).view(-1, numClasses);
        var confidence = F.cross_entropy(keptLogits, labels.masked_select(kept), reduction: nn.Reduction.Sum);

        // N = 0 (no object in the whole batch): both sums are empty, so dividing by 1 keeps them 0, not NaN.
        double divisor = Math.Max(1, numPositives);
        return new MultiBoxLosses((localization / divisor).MoveToOuterDisposeScope(), (confidence / divisor).MoveToOuterDisposeScope(), numPositives);
    }

    /// <summary>
    /// Per image, the non-positive priors with the largest confidence loss, at most
    /// <c>min(ratio · positives, P − 1)</c> of them: <c>[B, P]</c> bool.
    /// </summary>
    private Tensor MineHardNegatives(Tensor conf, Tensor labels, Tensor positive, Tensor numPositives, long numPriors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = conf.detach().reshape(-1, conf.shape[2]);
        // As the reference's log_sum_exp: stabilised by the batch-wide maximum, which decides ties in the ranking.
        var max = logits.max();
        var logSumExp = logits.sub(max).exp().sum(1, keepdim: true).log().add(max);
        var priorLoss = (logSumExp - logits.gather(1, labels.reshape(-1, 1))).view(labels.shape);
        priorLoss = priorLoss.masked_fill(positive, 0);
        var order = priorLoss.argsort(1, descending: true);
        var rank = order.argsort(1);
        var numNegatives = (numPositives * NegativesPerPositive).clamp_max(numPriors - 1);
        return (rank < numNegatives.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
