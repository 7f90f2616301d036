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
            float x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
            for (int j = i + 1; j < k; j++)
            {
                if (removed[j]) continue;
                // Iou's arithmetic, written out: called here, even marked for inlining, it made the post-processing of
                // the fixture case 10-20 % slower (2.2-2.5 ms against 2.0, bench detect --post-only).
                float w = MathF.Max(MathF.Min(x2, boxes[4 * j + 2]) - MathF.Max(x1, boxes[4 * j]), 0);
                float h = MathF.Max(MathF.Min(y2, boxes[4 * j + 3]) - MathF.Max(y1, boxes[4 * j + 1]), 0);
                float inter = w * h;
                if (inter / (area[j] - inter + area[i]) > threshold) removed[j] = true;
            }
        }
        return kept.ToArray();
    }

    /// <summary>
    /// The overlap NMS compares with its threshold: IoU of a kept box (x1, y1, x2, y2, area) and a candidate, in corner form, in
    /// float32 in the reference's order of operations (not <see cref="PixelBox.Iou"/>'s float64), so that ties at the
    /// threshold fall the same way as in the reference, and the same way wherever boxes are judged the same object.
    /// </summary>
    internal static float Iou(float x1, float y1, float x2, float y2, float area, float candidateX1, float candidateY1, float candidateX2, float candidateY2,
        float candidateArea)
    {
        float w = MathF.Max(MathF.Min(x2, candidateX2) - MathF.Max(x1, candidateX1), 0);
        float h = MathF.Max(MathF.Min(y2, candidateY2) - MathF.Max(y1, candidateY1), 0);
        float inter = w * h;
        return inter / (candidateArea - inter + area);
    }
}
