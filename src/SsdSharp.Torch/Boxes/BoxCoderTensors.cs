using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary><see cref="BoxCoder"/>'s encoding (SPEC §3) on tensors, for matching a batch at once.</summary>
public static class BoxCoderTensors
{
    /// <summary>
    /// Offsets of <paramref name="matched"/> (corner form <c>[..., P, 4]</c>, normalised) from the
    /// <paramref name="priors"/> (centre form <c>[P, 4]</c>, normalised): <c>[..., P, 4]</c>.
    /// </summary>
    public static Tensor Encode(this BoxCoder coder, Tensor matched, Tensor priors)
    {
        using var scope = NewDisposeScope();
        var priorCenter = priors[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)];
        var priorSize = priors[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)];
        var min = matched[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)];
        var max = matched[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)];
        // Same operation order as the reference so that float32 results agree to the last bit.
        var gCenter = (min + max) / 2 - priorCenter;
        gCenter = gCenter / (priorSize * coder.CenterVariance);
        var gSize = (max - min) / priorSize;
        gSize = log(gSize) / coder.SizeVariance;
        return cat([gCenter, gSize], -1).MoveToOuterDisposeScope();
    }
}
