using SsdSharp.Data;

namespace SsdSharp.Explaining;

/// <summary>A default box matched to a ground-truth object.</summary>
/// <param name="Prior">Its index among all default boxes.</param>
/// <param name="Source">The source map it belongs to.</param>
/// <param name="Truth">Index of the object in <see cref="MatchExplanation.Truths"/>.</param>
/// <param name="Iou">Its overlap with that object.</param>
/// <param name="Forced">Positive only by the forced best match (every object gets its best prior, even below the threshold).</param>
public sealed record MatchedPrior(int Prior, int Source, int Truth, double Iou, bool Forced);

/// <summary>
/// How one training image's objects meet the default boxes (SPEC §3), and, given a network, which background
/// priors the 3:1 hard negative mining (SPEC §4) scores: the facts <c>ssd explain match</c> draws.
/// </summary>
/// <param name="Image">The image and its objects as training reads them (difficult and crowd objects dropped).</param>
/// <param name="Threshold">The matching IoU threshold.</param>
/// <param name="Positives">Every prior with an object, by prior index: what the matcher assigns.</param>
/// <param name="BestIous">Per object, its best overlap with any default box.</param>
/// <param name="HardNegatives">The mined negatives by prior index, with their source; null without a network.</param>
/// <param name="NegativesPerPositive">The mining ratio (3 in the reference).</param>
public sealed record MatchExplanation(ImageAnnotation Image, double Threshold, IReadOnlyList<MatchedPrior> Positives,
    IReadOnlyList<double> BestIous, IReadOnlyList<(int Prior, int Source)>? HardNegatives, int NegativesPerPositive)
{
    /// <summary>The ground-truth objects.</summary>
    public IReadOnlyList<ObjectAnnotation> Truths => Image.Objects;

    /// <summary>Positives that are positive only by the forced best match.</summary>
    public int ForcedCount => Positives.Count(p => p.Forced);

    /// <summary>The positives of object <paramref name="truth"/>.</summary>
    public IEnumerable<MatchedPrior> PositivesOf(int truth) => Positives.Where(p => p.Truth == truth);
}
