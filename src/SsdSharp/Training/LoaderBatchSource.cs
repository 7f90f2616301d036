using SsdSharp.Data;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;

namespace SsdSharp.Training;

/// <summary>
/// Serves a training set through <see cref="TrainingLoader"/> (decoding and augmentation on worker
/// threads), started at the trainer's iteration so that a resumed run gets the same batches.
/// </summary>
/// <param name="images">The training set (0-based pixel boxes, class ids 1…K).</param>
/// <param name="format">The network input: <see cref="NetworkInputFormat.From"/> of the trained configuration.</param>
/// <param name="options">Batch size, workers, seed and augmentation; its <see cref="LoaderOptions.StartIteration"/> is replaced by the trainer's.</param>
/// <param name="report">Told about every image skipped as corrupt.</param>
public sealed class LoaderBatchSource(IReadOnlyList<ImageAnnotation> images, NetworkInputFormat format, LoaderOptions options, Action<string>? report = null)
    : IBatchSource
{
    /// <inheritdoc />
    public IEnumerable<TrainingBatch> Batches(long startIteration, CancellationToken cancellationToken)
    {
        using var loader = new TrainingLoader(images, format, options with { StartIteration = startIteration }, report);
        while (true)
        {
            yield return loader.Next(cancellationToken);
        }
    }
}
