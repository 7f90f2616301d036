using static TorchSharp.torch;

namespace SsdSharp.Matching;

/// <summary>
/// Training targets of a batch after matching default boxes to ground truth (SPEC §3).
/// Disposing it disposes the tensors.
/// </summary>
/// <param name="Loc"><c>[B, P, 4]</c> float32: the matched truth of every prior encoded against it
/// (meaningful only where <paramref name="Labels"/> is positive).</param>
/// <param name="Labels"><c>[B, P]</c> int64: class id of every prior, 0 for background, <see cref="PriorMatcher.IgnoredLabel"/>
/// for a prior an ignored region took.</param>
/// <param name="NumPositives"><c>[B]</c> int64: number of priors with a positive label in each image.</param>
/// <param name="Truths"><c>[B, P]</c> int64: index of the ground-truth object each prior was matched to, by overlap
/// or forced (meaningful only where <paramref name="Labels"/> is positive); null when not kept.</param>
public sealed record MatchedTargets(Tensor Loc, Tensor Labels, Tensor NumPositives, Tensor? Truths = null) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Loc.Dispose();
        Labels.Dispose();
        NumPositives.Dispose();
        Truths?.Dispose();
    }
}
