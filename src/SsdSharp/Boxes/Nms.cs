using System.Runtime.CompilerServices;

namespace SsdSharp.Boxes;

/// <summary>
/// Greedy non-maximum suppression (SPEC §5) on host arrays. The greedy scan is sequential by nature;
/// it computes only the overlaps it needs (kept box against later survivors), as libtorch's own CPU
/// kernel does, instead of a full pairwise-overlap matrix.
/// </summary>
public static class Nms
{
    /// <summary>
    /// Repeatedly keeps the highest-scoring remaining box and drops every remaining box whose IoU with
    /// it exceeds <paramref name="iouThreshold"/>.
    /// </summary>
    /// <param name="boxes"><c>[K, 4]</c> row-major, corner form (continuous coordinates, no +1), sorted by descending score.</param>
    /// <param name="iouThreshold">Overlap above which a box is suppressed (0.45 in the reference).</param>
    /// <param name="maxKeep">Most boxes kept.</param>
    /// <returns>The kept positions in 0…K−1, in the order NMS kept them (descending score).</returns>
    public static int[] Greedy(ReadOnlySpan<float> boxes, double iouThreshold, int maxKeep)
    {
        int k = boxes.Length / 4;
        var removed = new bool[k];
        var area = new float[k];
        for (int i = 0; i < k; i++) area[i] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
        var kept = new List<int>(Math.Min(k, maxKeep));
        float threshold = (float)iouThreshold;
        for (int i = 0; i < k && kept.Count < maxKeep; i++)
        {
            if (removed[i]) continue;
            kept.Add(i);
            var keptBox = boxes.Slice(4 * i, 4);
            for (int j = i + 1; j < k; j++)
            {
                if (!removed[j] && Iou(keptBox, area[i], boxes.Slice(4 * j, 4), area[j]) > threshold) removed[j] = true;
            }
        }
        return kept.ToArray();
    }

    /// <summary>
    /// The overlap NMS compares with its threshold: IoU of a kept box and a candidate (corner form, with their areas) in
    /// float32 in the reference's order of operations (not <see cref="PixelBox.Iou"/>'s float64), so that ties at the
    /// threshold fall the same way as in the reference, and the same way wherever boxes are judged the same object.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Iou(ReadOnlySpan<float> kept, float keptArea, ReadOnlySpan<float> candidate, float candidateArea)
    {
        float w = MathF.Max(MathF.Min(kept[2], candidate[2]) - MathF.Max(kept[0], candidate[0]), 0);
        float h = MathF.Max(MathF.Min(kept[3], candidate[3]) - MathF.Max(kept[1], candidate[1]), 0);
        float inter = w * h;
        return inter / (candidateArea - inter + keptArea);
    }
}
