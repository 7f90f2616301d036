using SsdSharp.Matching;
using static TorchSharp.torch;

namespace SsdSharp.Data.Loading;

/// <summary>One batch of training data. Disposing it disposes its tensors.</summary>
/// <param name="Images"><c>[B, 3, S, S]</c> float32 network input, preprocessed as SPEC §1 (augmented, resized, means subtracted).</param>
/// <param name="Targets">Ground truth of each image, in batch order (normalised corner boxes, class ids 1…K; negated for a region to ignore).</param>
/// <param name="ImageIds">Identifier of each image (file name or dataset id), for messages such as a diverging loss.</param>
public sealed record TrainingBatch(Tensor Images, IReadOnlyList<ImageTargets> Targets, IReadOnlyList<string> ImageIds) : IDisposable
{
    /// <summary>Number of images.</summary>
    public int Count => Targets.Count;

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        foreach (var t in Targets)
        {
            t.Boxes.Dispose();
            t.Labels.Dispose();
        }
    }
}
