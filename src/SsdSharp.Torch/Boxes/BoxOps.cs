using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>
/// Stateless box maths on tensors. Corner form is (x1, y1, x2, y2), centre form is (cx, cy, w, h);
/// both are in whatever units the caller uses (normalised [0, 1] throughout the model).
/// </summary>
public static class BoxOps
{
    /// <summary>Centre form <c>[..., 4]</c> (cx, cy, w, h) to corner form (x1, y1, x2, y2).</summary>
    public static Tensor CenterToCorner(Tensor boxes)
    {
        using var scope = NewDisposeScope();
        var center = boxes[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)];
        var half = boxes[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)] / 2;
        return cat([center - half, center + half], -1).MoveToOuterDisposeScope();
    }

    /// <summary>Area of corner-form boxes <c>[..., 4]</c>; <c>[...]</c>.</summary>
    public static Tensor Area(Tensor boxes)
    {
        using var scope = NewDisposeScope();
        var wh = (boxes[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)] - boxes[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)]).clamp_min(0);
        return (wh[TensorIndex.Ellipsis, 0] * wh[TensorIndex.Ellipsis, 1]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pairwise intersection-over-union (Jaccard overlap) of corner-form boxes.
    /// Works batched: <paramref name="a"/> <c>[..., A, 4]</c> and <paramref name="b"/> <c>[..., B, 4]</c> give <c>[..., A, B]</c>.
    /// Continuous coordinates, no +1 (SPEC §3 and §5).
    /// </summary>
    public static Tensor Iou(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a4 = a.unsqueeze(-2);
        var b4 = b.unsqueeze(-3);
        var min = maximum(a4[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)], b4[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)]);
        var max = minimum(a4[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)], b4[TensorIndex.Ellipsis, TensorIndex.Slice(2, 4)]);
        var wh = (max - min).clamp_min(0);
        var inter = wh[TensorIndex.Ellipsis, 0] * wh[TensorIndex.Ellipsis, 1];
        var union = Area(a).unsqueeze(-1) + Area(b).unsqueeze(-2) - inter;
        return (inter / union).MoveToOuterDisposeScope();
    }
}
