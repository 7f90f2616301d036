using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>
/// Greedy non-maximum suppression (SPEC §5) for many groups at once. The candidates of all groups
/// are copied to the host in one transfer; the greedy scan, which is sequential by nature, then
/// computes only the overlaps it needs (kept box against later survivors), as libtorch's own CPU
/// kernels do. This replaces TorchSharp's <c>ops.nms</c>, which issues several tensor operations and a
/// device-to-host copy for every kept box; a full pairwise-overlap tensor costs more than the scan here.
/// </summary>
public static class Nms
{
    /// <summary>
    /// Runs greedy NMS in each group: repeatedly keep the highest-scoring remaining box and drop every
    /// remaining box whose IoU with it exceeds <paramref name="iouThreshold"/>.
    /// </summary>
    /// <param name="boxes"><c>[G, K, 4]</c> corner form (continuous coordinates, no +1), each group sorted by descending score.</param>
    /// <param name="valid"><c>[G, K]</c> bool: false marks padding (e.g. scores under the threshold), never kept.</param>
    /// <param name="iouThreshold">Overlap above which a box is suppressed (0.45 in the reference).</param>
    /// <param name="maxKeep">Most boxes kept per group.</param>
    /// <returns>Per group, the kept positions in 0…K−1 in the order NMS kept them (descending score).</returns>
    public static int[][] BatchedGreedy(Tensor boxes, Tensor valid, double iouThreshold, int maxKeep)
    {
        int groups = (int)boxes.shape[0];
        int k = (int)boxes.shape[1];
        var corners = HostCopy.ToArray<float>(boxes.to(ScalarType.Float32));
        var isValid = HostCopy.ToArray<bool>(valid);
        var result = new int[groups][];
        var removed = new bool[k];
        var area = new float[k];
        var kept = new List<int>(k);
        float threshold = (float)iouThreshold;
        for (int g = 0; g < groups; g++)
        {
            kept.Clear();
            var c = corners.AsSpan(g * k * 4, k * 4);
            for (int i = 0; i < k; i++)
            {
                removed[i] = !isValid[g * k + i];
                area[i] = (c[4 * i + 2] - c[4 * i]) * (c[4 * i + 3] - c[4 * i + 1]);
            }
            for (int i = 0; i < k && kept.Count < maxKeep; i++)
            {
                if (removed[i]) continue;
                kept.Add(i);
                float x1 = c[4 * i], y1 = c[4 * i + 1], x2 = c[4 * i + 2], y2 = c[4 * i + 3];
                for (int j = i + 1; j < k; j++)
                {
                    if (removed[j]) continue;
                    float w = MathF.Max(MathF.Min(x2, c[4 * j + 2]) - MathF.Max(x1, c[4 * j]), 0);
                    float h = MathF.Max(MathF.Min(y2, c[4 * j + 3]) - MathF.Max(y1, c[4 * j + 1]), 0);
                    float inter = w * h;
                    // The reference's order of operations, so that ties at the threshold fall the same way.
                    float iou = inter / (area[j] - inter + area[i]);
                    if (iou > threshold) removed[j] = true;
                }
            }
            result[g] = kept.ToArray();
        }
        return result;
    }
}
