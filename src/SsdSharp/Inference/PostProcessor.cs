using SsdSharp.Boxes;
using static TorchSharp.torch;

namespace SsdSharp.Inference;

/// <summary>A detection in normalised coordinates, before scaling to an image.</summary>
/// <param name="ClassId">Class id 1…K.</param>
/// <param name="Score">Softmax score.</param>
/// <param name="X1">Left, normalised, unclipped.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
public readonly record struct NormalizedDetection(int ClassId, float Score, float X1, float Y1, float X2, float Y2);

/// <summary>
/// The test phase of SPEC §5: softmax, decode, per-class top-k and greedy NMS, optional global cap.
/// Vectorised over classes; the only host copies are one per image.
/// </summary>
public static class PostProcessor
{
    /// <summary>Detections of every image of a batch.</summary>
    /// <param name="loc"><c>[N, P, 4]</c> predicted offsets.</param>
    /// <param name="conf"><c>[N, P, C]</c> raw class logits (class 0 is background).</param>
    /// <param name="priors"><c>[P, 4]</c> default boxes, centre form, normalised.</param>
    /// <param name="coder">Box coder with the model's variances.</param>
    /// <param name="options">Thresholds and caps.</param>
    /// <returns>Per image: detections grouped by class (ascending id), each class in the order NMS kept
    /// them; when a global cap applies, the kept ones sorted by descending score.</returns>
    public static NormalizedDetection[][] Run(Tensor loc, Tensor conf, Tensor priors, BoxCoder coder, DetectionOptions options)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scores = conf.to(ScalarType.Float32).softmax(-1);
        var boxes = coder.Decode(loc.to(ScalarType.Float32), priors.to(loc.device));
        var result = new NormalizedDetection[loc.shape[0]][];
        for (int n = 0; n < result.Length; n++)
        {
            result[n] = options.ClassAgnostic
                ? ClassAgnostic(boxes[n], scores[n], options)
                : PerClass(boxes[n], scores[n], options);
            if (options.MaxDetections is int cap && result[n].Length > cap)
                result[n] = result[n].OrderByDescending(d => d.Score).Take(cap).ToArray();
        }
        return result;
    }

    private static NormalizedDetection[] PerClass(Tensor boxes, Tensor scores, DetectionOptions options)
    {
        using var scope = NewDisposeScope();
        int k = (int)Math.Min(options.TopK, boxes.shape[0]);
        // [C-1, P] → the top-k candidates of every object class at once, sorted by descending score.
        var (topScores, topIndex) = scores[TensorIndex.Colon, TensorIndex.Slice(1)].t().topk(k, dim: 1, largest: true, sorted: true);
        var candidates = boxes[topIndex];
        var valid = topScores > options.ConfidenceThreshold;
        var kept = Nms.BatchedGreedy(candidates, valid, options.NmsThreshold, options.TopK);
        return Collect(kept, topScores, candidates, classOf: (group, _) => group + 1);
    }

    private static NormalizedDetection[] ClassAgnostic(Tensor boxes, Tensor scores, DetectionOptions options)
    {
        using var scope = NewDisposeScope();
        var objectScores = scores[TensorIndex.Colon, TensorIndex.Slice(1)];
        int classes = (int)objectScores.shape[1];
        int k = (int)Math.Min(options.TopK, objectScores.numel());
        var (topScores, flatIndex) = objectScores.flatten().topk(k, largest: true, sorted: true);
        var priorIndex = flatIndex.div(classes, rounding_mode: RoundingMode.floor);
        var candidates = boxes[priorIndex].unsqueeze(0);
        var valid = (topScores > options.ConfidenceThreshold).unsqueeze(0);
        var kept = Nms.BatchedGreedy(candidates, valid, options.NmsThreshold, options.TopK);
        var classIds = HostCopy.ToArray<long>(flatIndex.remainder(classes));
        return Collect(kept, topScores.unsqueeze(0), candidates, classOf: (_, i) => (int)classIds[i] + 1);
    }

    private static NormalizedDetection[] Collect(int[][] kept, Tensor scores, Tensor boxes, Func<int, int, int> classOf)
    {
        var hostScores = HostCopy.ToArray<float>(scores);
        var hostBoxes = HostCopy.ToArray<float>(boxes);
        int k = (int)scores.shape[1];
        var detections = new List<NormalizedDetection>();
        for (int g = 0; g < kept.Length; g++)
        {
            foreach (var i in kept[g])
            {
                int at = g * k + i;
                detections.Add(new NormalizedDetection(classOf(g, i), hostScores[at],
                    hostBoxes[at * 4], hostBoxes[at * 4 + 1], hostBoxes[at * 4 + 2], hostBoxes[at * 4 + 3]));
            }
        }
        return detections.ToArray();
    }
}
