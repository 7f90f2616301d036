using SsdSharp.Data.Augmentation;
using static TorchSharp.torch;

namespace SsdSharp.Data.Loading;

/// <summary>
/// One training batch. The caller owns it and disposes it (which frees <see cref="Images"/>), or
/// takes the tensor into its own dispose scope.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    internal TrainingBatch(long iteration, Tensor images, IReadOnlyList<SampleTargets> targets)
    {
        Iteration = iteration;
        Images = images;
        Targets = targets;
    }

    /// <summary>The batch number in the run, from 0.</summary>
    public long Iteration { get; }

    /// <summary>Network inputs <c>[B, 3, S, S]</c>, float32 on the CPU, channels in the configured order minus the means.</summary>
    public Tensor Images { get; }

    /// <summary>Ground truth of each image, in batch order: boxes normalised to [0, 1] corner form and class ids 1…K.</summary>
    public IReadOnlyList<SampleTargets> Targets { get; }

    /// <summary>Frees the image tensor.</summary>
    public void Dispose() => Images.Dispose();
}
