using SsdSharp.Boxes;
using static TorchSharp.torch;

namespace SsdSharp.Matching;

/// <summary>
/// Assigns every default box a ground-truth object or the background (SPEC §3), for a whole batch at once.
/// Each prior takes the truth it overlaps most; a prior whose best overlap is below
/// <see cref="Threshold"/> is background. One rule is added on top, as in the paper: every truth's
/// best prior is forced to that truth, and when two truths share a best prior the later truth wins.
/// A truth with a negative label is an ignored region (a difficult or crowd object, when training ignores them):
/// the background priors it would be matched to by the same two rules get label −1, which the loss neither
/// scores nor mines as a negative; it never takes a prior from a real object.
/// </summary>
public sealed class PriorMatcher
{
    private readonly Tensor _priors;
    private readonly Tensor _priorCorners;

    /// <summary>Creates a matcher for a configuration's default boxes.</summary>
    /// <param name="defaultBoxes">The default boxes and the coder of the location targets.</param>
    /// <param name="threshold">Overlap (IoU) below which a prior is background; 0.5 in the reference.</param>
    /// <param name="device">Where the matching runs (the training device); the CPU by default.</param>
    public PriorMatcher(DefaultBoxes defaultBoxes, double threshold = 0.5, Device? device = null)
    {
        if (threshold is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be in (0, 1]");
        _priors = defaultBoxes.ToTensor(device);
        _priorCorners = BoxOps.CenterToCorner(_priors);
        Coder = defaultBoxes.Coder;
        Threshold = threshold;
    }

    /// <summary>The box coder used for the location targets.</summary>
    public BoxCoder Coder { get; }

    /// <summary>Overlap below which a prior is background.</summary>
    public double Threshold { get; }

    /// <summary>The label of a prior that an ignored region took: neither an object nor background.</summary>
    public const long IgnoredLabel = -1;

    /// <summary>Number of default boxes.</summary>
    public long NumPriors => _priors.shape[0];

    /// <summary>Matches the ground truth of each image of a batch to the default boxes.</summary>
    /// <param name="targets">One entry per image, in batch order; images without objects are allowed (all background).</param>
    public MatchedTargets Match(IReadOnlyList<ImageTargets> targets)
    {
        if (targets.Count == 0) throw new ArgumentException("the batch is empty", nameof(targets));
        for (int i = 0; i < targets.Count; i++)
        {
            if (targets[i].Labels.numel() != targets[i].Count)
                throw new ArgumentException($"image {i}: {targets[i].Count} boxes but {targets[i].Labels.numel()} labels", nameof(targets));
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int batch = targets.Count;
        long numPriors = NumPriors;
        long maxTruths = Math.Max(1, targets.Max(t => t.Count));
        var device = _priors.device;

        // Pad every image to the same number of truths, with label 0 so that they take part in neither matching.
        // The padding box is the whole image, so that even an image without objects gets finite targets.
        var wholeImage = tensor(new float[] { 0, 0, 1, 1 }, device: device);
        var noClass = zeros(1, ScalarType.Int64, device);
        var truths = stack(targets.Select(t => Pad(t.Boxes.to(ScalarType.Float32, device).reshape(-1, 4), maxTruths, wholeImage)).ToArray());
        var labels = stack(targets.Select(t => Pad(t.Labels.to(ScalarType.Int64, device).reshape(-1), maxTruths, noClass)).ToArray());
        // Padded truths have label 0, real objects 1…K and ignored regions a negative label.
        var real = labels > 0;                                                              // [B, T]
        var overlaps = BoxOps.Iou(truths, _priorCorners);                                   // [B, T, P]
        var (bestTruthOverlap, bestTruth) = Assign(overlaps, real);
        var matched = truths.gather(1, bestTruth.unsqueeze(-1).expand(batch, numPriors, 4)); // [B, P, 4]
        var classes = labels.gather(1, bestTruth).masked_fill(bestTruthOverlap < Threshold, 0);
        var ignored = labels < 0;
        if (ignored.any().item<bool>())
        {
            var (ignoredOverlap, _) = Assign(overlaps, ignored);
            classes = classes.masked_fill((classes == 0).logical_and(ignoredOverlap >= Threshold), IgnoredLabel);
        }
        var loc = Coder.Encode(matched, _priors);
        var numPositives = (classes > 0).sum(1);
        return new MatchedTargets(loc.MoveToOuterDisposeScope(), classes.MoveToOuterDisposeScope(), numPositives.MoveToOuterDisposeScope(),
            bestTruth.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Each prior's best overlap among the truths in <paramref name="valid"/> and that truth's index, with every valid
    /// truth forced onto its best prior (overlap 2, above any threshold). Priors of an image without valid truths get
    /// overlap −1.
    /// </summary>
    /// <param name="iou"><c>[B, T, P]</c> overlaps of the padded truths with the priors.</param>
    /// <param name="valid"><c>[B, T]</c> which truths take part.</param>
    private (Tensor Overlap, Tensor Truth) Assign(Tensor iou, Tensor valid)
    {
        long batch = iou.shape[0], maxTruths = iou.shape[1], numPriors = NumPriors;
        var device = iou.device;
        // Truths left out get overlap −1, so that they never beat a taking-part truth (real overlaps are ≥ 0) and
        // are never forced onto a prior.
        var overlaps = iou.masked_fill(valid.logical_not().unsqueeze(-1), -1);              // [B, T, P]
        var bestPrior = overlaps.max(2).indexes;                                            // [B, T]
        var (bestTruthOverlap, bestTruth) = overlaps.max(1);                                // [B, P]

        // The reference forces truths onto their best priors one after the other, so a later truth
        // overwrites an earlier one on a shared prior. Equivalently, only the last valid truth of each
        // shared best prior is written; the others are sent to a spare column P and discarded, which
        // leaves no duplicate index among the kept writes and so makes the scatter deterministic.
        var truthIndex = arange(maxTruths, device: device);
        var sharesWithLater = bestPrior.unsqueeze(2) == bestPrior.unsqueeze(1);              // [B, T, U]
        var later = ones(maxTruths, maxTruths, ScalarType.Bool, device).triu(1);            // u > t
        var overridden = (sharesWithLater & later & valid.unsqueeze(1)).any(2);
        var winner = valid & overridden.logical_not();
        var column = where(winner, bestPrior, numPriors);
        var spare = zeros(batch, 1, device: device);
        bestTruthOverlap = cat([bestTruthOverlap, spare], 1)
            .scatter_(1, column, full(batch, maxTruths, 2.0f, device: device))
            .narrow(1, 0, numPriors);
        bestTruth = cat([bestTruth, spare.to(ScalarType.Int64)], 1)
            .scatter_(1, column, truthIndex.expand(batch, maxTruths))
            .narrow(1, 0, numPriors);
        return (bestTruthOverlap, bestTruth);
    }

    /// <summary>Appends copies of <paramref name="row"/> until <paramref name="values"/> has <paramref name="length"/> rows.</summary>
    private static Tensor Pad(Tensor values, long length, Tensor row)
    {
        long missing = length - values.shape[0];
        if (missing == 0) return values;
        var shape = values.shape.ToArray();
        shape[0] = missing;
        return cat([values, row.expand(shape)], 0);
    }
}
