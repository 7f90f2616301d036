using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>
/// Encodes ground-truth boxes as offsets from default boxes and back (SPEC §3), with the
/// variances of the configuration (0.1 for centres, 0.2 for sizes in the reference).
/// </summary>
/// <param name="centerVariance">Variance of the centre offsets.</param>
/// <param name="sizeVariance">Variance of the log-size offsets.</param>
public sealed class BoxCoder(double centerVariance = 0.1, double sizeVariance = 0.2)
{
    /// <summary>Variance of the centre offsets.</summary>
    public double CenterVariance { get; } = centerVariance;

    /// <summary>Variance of the log-size offsets.</summary>
    public double SizeVariance { get; } = sizeVariance;

    /// <summary>
    /// Offsets of <paramref name="matched"/> (corner form <c>[..., P, 4]</c>, normalised) from the
    /// <paramref name="priors"/> (centre form <c>[P, 4]</c>, normalised): <c>[..., P, 4]</c>.
    /// </summary>
    public Tensor Encode(Tensor matched, Tensor priors)
    {
        using var scope = NewDisposeScope();
        var priorCenter = priors[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)];
        var priorSize = priors[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)];
        var min = matched[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)];
        var max = matched[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)];
        // Same operation order as the reference so that float32 results agree to the last bit.
        var gCenter = (min + max) / 2 - priorCenter;
        gCenter = gCenter / (priorSize * CenterVariance);
        var gSize = (max - min) / priorSize;
        gSize = log(gSize) / SizeVariance;
        return cat([gCenter, gSize], -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Boxes in corner form <c>[..., P, 4]</c> (normalised, unclipped) from predicted offsets
    /// <paramref name="loc"/> <c>[..., P, 4]</c> and <paramref name="priors"/> (centre form <c>[P, 4]</c>).
    /// </summary>
    public Tensor Decode(Tensor loc, Tensor priors)
    {
        using var scope = NewDisposeScope();
        var priorCenter = priors[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)];
        var priorSize = priors[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)];
        var center = priorCenter + loc[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)] * CenterVariance * priorSize;
        var size = priorSize * exp(loc[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)] * SizeVariance);
        var min = center - size / 2;
        return cat([min, min + size], -1).MoveToOuterDisposeScope();
    }
}
