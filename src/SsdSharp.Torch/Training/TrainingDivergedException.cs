namespace SsdSharp.Training;

/// <summary>
/// The loss (or the gradient norm) became NaN or infinite. Training stops before the optimiser
/// step, so nothing is written and the last checkpoint stays as it was.
/// </summary>
public sealed class TrainingDivergedException(long iteration, string what, IReadOnlyList<string> imageIds, string? lastCheckpoint)
    : Exception($"{what} at iteration {iteration} on the batch of images {string.Join(", ", imageIds)}; " +
                (lastCheckpoint is null ? "no checkpoint was written before it" : $"the last good checkpoint is {lastCheckpoint}"))
{
    /// <summary>The 1-based number of the step that diverged.</summary>
    public long Iteration { get; } = iteration;

    /// <summary>The images of the batch that produced it.</summary>
    public IReadOnlyList<string> ImageIds { get; } = imageIds;

    /// <summary>The newest checkpoint, unchanged, or null when none was written.</summary>
    public string? LastCheckpoint { get; } = lastCheckpoint;
}
