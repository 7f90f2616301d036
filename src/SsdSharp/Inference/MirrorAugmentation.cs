using SsdSharp.Configuration;
using SsdSharp.Preprocessing;

namespace SsdSharp.Inference;

/// <summary>
/// <see cref="DetectorOptions.TestTimeAugmentation"/>: every image goes through the network beside its mirror image,
/// in the same forward pass, and the two views' detections are fused.
/// </summary>
internal static class MirrorAugmentation
{
    /// <summary>The network input of a batch followed by that of its images mirrored: <c>[2 · N, 3, S, S]</c>.</summary>
    /// <param name="input">The batch, <c>[N, 3, S, S]</c>.</param>
    /// <param name="size">The input size, S.</param>
    public static float[] WithMirrors(float[] input, int size)
    {
        var views = new float[2 * input.Length];
        input.CopyTo(views, 0);
        int length = 3 * size * size;
        for (int start = 0; start < input.Length; start += length)
            Preprocess.Mirror(input.AsSpan(start, length), views.AsSpan(input.Length + start, length), size);
        return views;
    }

    /// <summary>
    /// Image <paramref name="n"/>'s detections from predictions of <see cref="WithMirrors"/>'s batch: each view post-processed
    /// (SPEC §5, without the global cap), the mirror's boxes mirrored back, both fused at the NMS threshold
    /// (<see cref="WeightedBoxFusion"/>), those above the confidence threshold kept, the top-k of each class (or of all,
    /// class-agnostic), then capped; by descending score.
    /// </summary>
    public static NormalizedDetection[] Detections(NetworkPredictions predictions, int n, DetectionOptions options) =>
        Detections(predictions, n, predictions, n + predictions.Count / 2, options);

    /// <summary>
    /// As <see cref="Detections(NetworkPredictions, int, DetectionOptions)"/>, the image's predictions being input <paramref name="n"/>
    /// of <paramref name="image"/> and its mirror's input <paramref name="m"/> of <paramref name="mirror"/> (the same batch or another).
    /// </summary>
    public static NormalizedDetection[] Detections(NetworkPredictions image, int n, NetworkPredictions mirror, int m, DetectionOptions options)
    {
        // A fused score is the mean of the two views' scores, so a view's box at or below 2t − 1 cannot lift one above the
        // threshold t whatever the other view says: each view keeps what can, so that a detection and its score do not
        // depend on t (at t ≥ 0.5 a view's threshold of t would drop objects the two views together score above it).
        double t = options.ConfidenceThreshold;
        var perView = options with { ConfidenceThreshold = Math.Max(0, 2 * t - 1), MaxDetections = null };
        var seen = PostProcessor.Run(image, n, perView);
        // A mirrored box's default box is one of the mirror image's: not this image's, so unknown.
        var mirrored = PostProcessor.Run(mirror, m, perView)
            .Select(d => d with { X1 = 1 - d.X2, X2 = 1 - d.X1, Prior = -1 })
            .ToArray();
        // A box one view alone sees keeps half its score: what the confidence threshold promises holds for the fused score too.
        var fused = WeightedBoxFusion.Fuse([seen, mirrored], options.NmsThreshold, options.ClassAgnostic).Where(d => d.Score > t);
        // Each view keeps up to top-k per class; together they may bring twice as many.
        var kept = options.ClassAgnostic
            ? fused.Take(options.TopK)
            : fused.GroupBy(d => d.ClassId).SelectMany(g => g.Take(options.TopK)).OrderByDescending(d => d.Score);
        return (options.MaxDetections is int cap ? kept.Take(cap) : kept).ToArray();
    }
}
