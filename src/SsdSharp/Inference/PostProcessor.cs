using SsdSharp.Boxes;
using SsdSharp.Configuration;

namespace SsdSharp.Inference;

/// <summary>
/// The test phase of SPEC §5 on decoded predictions: per-class candidates above the confidence
/// threshold, the top-k of each, greedy NMS, optional global cap. Plain arrays, so that every backend
/// (libtorch, ONNX Runtime) shares it.
/// </summary>
public static class PostProcessor
{
    /// <summary>Detections of every image of a batch.</summary>
    /// <param name="predictions">Decoded boxes and softmax scores.</param>
    /// <param name="options">Thresholds and caps.</param>
    /// <returns>Per image: detections grouped by class (ascending id), each class in the order NMS kept
    /// them; when a global cap applies, the kept ones sorted by descending score.</returns>
    public static NormalizedDetection[][] Run(NetworkPredictions predictions, DetectionOptions options)
    {
        var result = new NormalizedDetection[predictions.Count][];
        for (int n = 0; n < result.Length; n++) result[n] = Run(predictions, n, options);
        return result;
    }

    /// <summary>
    /// Detections of image <paramref name="n"/> of a batch, in the order of <see cref="Run(NetworkPredictions, DetectionOptions)"/>.
    /// Images of one batch may be post-processed with different options, and concurrently.
    /// </summary>
    /// <param name="predictions">Decoded boxes and softmax scores of the batch.</param>
    /// <param name="n">The image, 0 to N − 1.</param>
    /// <param name="options">Thresholds and caps.</param>
    public static NormalizedDetection[] Run(NetworkPredictions predictions, int n, DetectionOptions options)
    {
        var detections = Select(predictions, n, options, suppress: true);
        if (options.MaxDetections is int cap && detections.Length > cap)
            detections = detections.OrderByDescending(d => d.Score).Take(cap).ToArray();
        return detections;
    }

    /// <summary>
    /// What enters NMS in <see cref="Run(NetworkPredictions, DetectionOptions)"/>: per image and class (ascending id), the
    /// candidates above the confidence threshold, the top-k of them by descending score (or of all classes together when
    /// class-agnostic).
    /// </summary>
    public static NormalizedDetection[][] Candidates(NetworkPredictions predictions, DetectionOptions options)
    {
        var result = new NormalizedDetection[predictions.Count][];
        for (int n = 0; n < result.Length; n++) result[n] = Select(predictions, n, options, suppress: false);
        return result;
    }

    private static NormalizedDetection[] Select(NetworkPredictions predictions, int n, DetectionOptions options, bool suppress)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(n, predictions.Count);
        var boxes = predictions.BoxesOf(n);
        var scores = predictions.ScoresOf(n);
        return options.ClassAgnostic
            ? ClassAgnostic(boxes, scores, predictions.Classes, options, suppress)
            : PerClass(boxes, scores, predictions.Classes, options, suppress);
    }

    private static NormalizedDetection[] PerClass(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int classes, DetectionOptions options, bool suppress)
    {
        int priors = boxes.Length / 4;
        var detections = new List<NormalizedDetection>();
        var candidates = new long[priors];
        for (int c = 1; c < classes; c++)
        {
            int count = 0;
            for (int p = 0; p < priors; p++)
            {
                float score = scores[p * classes + c];
                if (score > options.ConfidenceThreshold) candidates[count++] = TopK.Key(score, p);
            }
            var top = TopK.Select(candidates.AsSpan(0, count), options.TopK);
            Keep(top, boxes, _ => c, options, suppress, detections);
        }
        return detections.ToArray();
    }

    private static NormalizedDetection[] ClassAgnostic(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int classes, DetectionOptions options, bool suppress)
    {
        // All object-class scores compete: candidate p · C + c is prior p as class c.
        int priors = boxes.Length / 4;
        var candidates = new long[priors * (classes - 1)];
        int count = 0;
        for (int p = 0; p < priors; p++)
        {
            for (int c = 1; c < classes; c++)
            {
                float score = scores[p * classes + c];
                if (score > options.ConfidenceThreshold) candidates[count++] = TopK.Key(score, p * classes + c);
            }
        }
        var top = TopK.Select(candidates.AsSpan(0, count), options.TopK);
        var detections = new List<NormalizedDetection>();
        Keep(top, boxes, index => index % classes, options, suppress, detections, classes);
        return detections.ToArray();
    }

    /// <summary>Runs NMS over the candidates <paramref name="top"/> (descending), unless not to <paramref name="suppress"/>, and adds the kept ones.</summary>
    private static void Keep(long[] top, ReadOnlySpan<float> boxes, Func<int, int> classOf, DetectionOptions options, bool suppress,
        List<NormalizedDetection> detections, int priorStride = 1)
    {
        var corners = new float[top.Length * 4];
        for (int i = 0; i < top.Length; i++)
            boxes.Slice(TopK.Index(top[i]) / priorStride * 4, 4).CopyTo(corners.AsSpan(i * 4, 4));
        IEnumerable<int> kept = suppress ? Nms.Greedy(corners, options.NmsThreshold, options.TopK) : Enumerable.Range(0, top.Length);
        foreach (var i in kept)
        {
            int index = TopK.Index(top[i]);
            detections.Add(new NormalizedDetection(classOf(index), TopK.Score(top[i]),
                corners[i * 4], corners[i * 4 + 1], corners[i * 4 + 2], corners[i * 4 + 3], index / priorStride));
        }
    }
}
