using static TorchSharp.torch;

namespace SsdSharp.Matching;

/// <summary>
/// The ground truth of one training image, ready for matching.
/// </summary>
/// <param name="Boxes"><c>[n, 4]</c> float32, corner form (x1, y1, x2, y2), normalised to [0, 1]; <c>n</c> may be 0.</param>
/// <param name="Labels"><c>[n]</c> int64 class ids 1…K (0 is background and must not appear); a negative label (the class
/// id negated) marks a region to ignore (<see cref="PriorMatcher"/>).</param>
public sealed record ImageTargets(Tensor Boxes, Tensor Labels)
{
    /// <summary>Number of objects in the image.</summary>
    public long Count => Boxes.shape[0];
}
