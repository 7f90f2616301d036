using static TorchSharp.torch;

namespace SsdSharp.Loss;

/// <summary>
/// The two terms of the SSD training objective for one batch (SPEC §4). Disposing it disposes the tensors.
/// </summary>
/// <param name="Localization">Scalar float32 tensor (with gradient): Smooth L1 over the positives' offsets, divided by <paramref name="NumPositives"/>.</param>
/// <param name="Confidence">Scalar float32 tensor (with gradient): cross entropy over positives and mined negatives, divided by <paramref name="NumPositives"/>.</param>
/// <param name="NumPositives">Positives in the whole batch (the divisor; 0 means both terms are 0).</param>
public sealed record MultiBoxLosses(Tensor Localization, Tensor Confidence, long NumPositives) : IDisposable
{
    /// <summary>The training loss <c>loss_l + loss_c</c>: a new scalar tensor with gradient, owned by the caller.</summary>
    public Tensor Total() => Localization + Confidence;

    /// <inheritdoc />
    public void Dispose()
    {
        Localization.Dispose();
        Confidence.Dispose();
    }
}
