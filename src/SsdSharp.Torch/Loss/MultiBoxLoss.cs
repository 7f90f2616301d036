using SsdSharp.Matching;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SsdSharp.Loss;

/// <summary>
/// The SSD objective (SPEC §4): Smooth L1 localisation loss over the positive priors plus
/// softmax cross entropy over the positives and the hardest negatives, at most
/// <see cref="NegativesPerPositive"/> negatives per positive in each image, both divided by the
/// number of positives in the batch. A prior labelled <see cref="PriorMatcher.IgnoredLabel"/> (an ignored region
/// took it) is in neither term and is never mined.
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
        CheckTargets(conf, targets);
        using var scope = NewDisposeScope();
        long numClasses = conf.shape[2];
        var labels = targets.Labels;
        var positive = labels > 0;                                                  // [B, P]
        long numPositives = targets.NumPositives.sum().item<long>();

        // Rows are gathered by index rather than by masked_select on an expanded mask (many times
        // faster on the CPU); both keep row-major order, the order of the reference's sums.
        var positiveRows = positive.reshape(-1).nonzero().squeeze(1);
        var localization = F.smooth_l1_loss(loc.reshape(-1, 4).index_select(0, positiveRows),
            targets.Loc.reshape(-1, 4).index_select(0, positiveRows), nn.Reduction.Sum);

        var negative = MineHardNegatives(conf, targets);
        var keptRows = positive.logical_or(negative).reshape(-1).nonzero().squeeze(1);
        var confidence = F.cross_entropy(conf.reshape(-1, numClasses).index_select(0, keptRows),
            labels.reshape(-1).index_select(0, keptRows), reduction: nn.Reduction.Sum);

        // N = 0 (no object in the whole batch): both sums are empty, so dividing by 1 keeps them 0, not NaN.
        double divisor = Math.Max(1, numPositives);
        return new MultiBoxLosses((localization / divisor).MoveToOuterDisposeScope(), (confidence / divisor).MoveToOuterDisposeScope(), numPositives);
    }

    /// <summary>
    /// Hard negative mining: per image, the background (label 0) priors with the largest confidence loss, never an
    /// ignored one, at most <c>min(ratio · positives, P − 1)</c> of them, the negatives that <see cref="Compute"/> scores.
    /// </summary>
    /// <param name="conf">Class logits <c>[B, P, C]</c> float32.</param>
    /// <param name="targets">Matched targets of the same batch.</param>
    /// <returns><c>[B, P]</c> bool: true for a mined negative.</returns>
    public Tensor MineHardNegatives(Tensor conf, MatchedTargets targets)
    {
        if (conf.dim() != 3) throw new ArgumentException($"conf must be [B, P, C], got [{string.Join(", ", conf.shape)}]", nameof(conf));
        CheckTargets(conf, targets);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var labels = targets.Labels;
        var positive = labels > 0;
        var numPositives = targets.NumPositives;
        long numPriors = conf.shape[1];
        // Cross entropy of every prior; the reference writes it as log-sum-exp minus the target logit.
        // An ignored prior ranks below every other (losses are ≥ 0) and is cleared from the result below.
        var ignored = labels < 0;
        var priorLoss = -conf.detach().log_softmax(2).gather(2, labels.clamp_min(0).unsqueeze(-1)).squeeze(-1);
        priorLoss = priorLoss.masked_fill(positive, 0).masked_fill(ignored, -1);
        var numNegatives = (numPositives * NegativesPerPositive).clamp_max(numPriors - 1);
        long most = numNegatives.max().item<long>();
        var negative = zeros_like(positive);
        if (most == 0) return negative.MoveToOuterDisposeScope();
        // The reference ranks all priors by a double sort; the top `most` of each row, of which each
        // image keeps its first numNegatives, are the same priors and need only a partial sort.
        var top = priorLoss.topk((int)most, dim: 1).indexes;                                 // [B, most], descending
        var kept = arange(most, device: conf.device).unsqueeze(0) < numNegatives.unsqueeze(1);
        return negative.scatter_(1, top, kept).masked_fill_(ignored, false).MoveToOuterDisposeScope();
    }

    private static void CheckTargets(Tensor conf, MatchedTargets targets)
    {
        if (!targets.Labels.shape.SequenceEqual(conf.shape.Take(2)))
            throw new ArgumentException($"targets are for [{string.Join(", ", targets.Labels.shape)}] priors, predictions for [{conf.shape[0]}, {conf.shape[1]}]", nameof(targets));
    }
}
