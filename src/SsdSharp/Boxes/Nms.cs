using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>
/// Greedy non-maximum suppression (SPEC §5) for many groups at once. All pairwise overlaps are
/// computed in one tensor operation and copied to the host once; only the inherently sequential
/// greedy scan runs in C#, over a precomputed bit mask (the scheme of torchvision's CUDA kernel),
/// instead of one tensor operation and one device-to-host copy per kept box.
/// </summary>
public static class Nms
{
    /// <summary>
    /// Runs greedy NMS in each group: repeatedly keep the highest-scoring remaining box and drop every
    /// remaining box whose IoU with it exceeds <paramref name="iouThreshold"/>.
    /// </summary>
    /// <param name="boxes"><c>[G, K, 4]</c> corner form, each group sorted by descending score.</param>
    /// <param name="valid"><c>[G, K]</c> bool: false marks padding (e.g. scores under the threshold), never kept.</param>
    /// <param name="iouThreshold">Overlap above which a box is suppressed (0.45 in the reference).</param>
    /// <param name="maxKeep">Most boxes kept per group.</param>
    /// <returns>Per group, the kept positions in 0…K−1 in the order NMS kept them (descending score).</returns>
    public static int[][] BatchedGreedy(Tensor boxes, Tensor valid, double iouThreshold, int maxKeep)
    {
        using var scope = NewDisposeScope();
        int groups = (int)boxes.shape[0];
        int k = (int)boxes.shape[1];
        var result = new int[groups][];
        if (k == 0)
        {
            for (int g = 0; g < groups; g++) result[g] = [];
            return result;
        }
        var suppresses = (BoxOps.Iou(boxes, boxes) > iouThreshold).cpu();
        var overlap = suppresses.data<bool>().ToArray();
        var isValid = valid.cpu().data<bool>().ToArray();
        var removed = new bool[k];
        var kept = new List<int>(k);
        for (int g = 0; g < groups; g++)
        {
            kept.Clear();
            int groupOffset = g * k;
            for (int i = 0; i < k; i++) removed[i] = !isValid[groupOffset + i];
            for (int i = 0; i < k && kept.Count < maxKeep; i++)
            {
                if (removed[i]) continue;
                kept.Add(i);
                int row = (groupOffset + i) * k;
                for (int j = i + 1; j < k; j++)
                {
                    if (overlap[row + j]) removed[j] = true;
                }
            }
            result[g] = kept.ToArray();
        }
        return result;
    }
}
