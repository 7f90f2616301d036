namespace SsdSharp.Data.Loading;

/// <summary>
/// Where the trainer gets its data: an endless, reproducible stream of batches.
/// </summary>
public interface IBatchSource
{
    /// <summary>
    /// The batches of iterations <paramref name="startIteration"/>, <paramref name="startIteration"/> + 1, …, without end.
    /// The batch of an iteration (its images, their order and their augmentation) must not depend on
    /// where the enumeration started, so that a resumed run sees exactly what an uninterrupted one saw.
    /// The caller disposes each batch.
    /// </summary>
    /// <param name="startIteration">0-based number of the first batch.</param>
    /// <param name="cancellationToken">Stops waiting for data (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    IEnumerable<TrainingBatch> Batches(long startIteration, CancellationToken cancellationToken);
}
