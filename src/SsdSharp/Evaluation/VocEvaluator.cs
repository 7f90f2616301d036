using SsdSharp.Data;
using SsdSharp.Inference;

namespace SsdSharp.Evaluation;

/// <summary>
/// PASCAL VOC detection metrics as the devkit (and ssd.pytorch's <c>voc_eval</c>) computes them
/// (SPEC §8): per class, detections by descending score; a detection is a true positive when its
/// best-overlapping ground truth of the class in its image has IoU &gt; 0.5 (inclusive-pixel widths, +1),
/// is not difficult and is not yet taken; a best match that is difficult counts as neither; everything
/// else is a false positive. AP by the VOC2007 11-point rule and by the VOC2010+ area rule.
/// </summary>
/// <remarks>
/// COCO crowd objects are treated as difficult, so both kinds of data can be scored. A class without
/// ground truth that counts has no AP (the devkit divides by zero there) and is left out of the means;
/// a class with ground truth and no detections has AP 0.
/// </remarks>
public static class VocEvaluator
{
    /// <summary>The devkit's IoU threshold; a match needs strictly more.</summary>
    public const double IouThreshold = 0.5;

    /// <summary>Evaluates detections against ground truth.</summary>
    /// <param name="groundTruth">The images with their objects; boxes in 0-based pixels.</param>
    /// <param name="detections">Detections keyed by <see cref="ImageAnnotation.Id"/>; an image without an entry has none.</param>
    /// <param name="classNames">The class names, index k naming class id k + 1.</param>
    /// <exception cref="SsdInputException">A detection or object names an unknown image or class id.</exception>
    public static VocResult Evaluate(IReadOnlyList<ImageAnnotation> groundTruth, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var table = EvaluationTable.Build(groundTruth, detections, classNames.Count);
        var classes = new VocClassResult[table.ClassCount];
        for (var k = 0; k < table.ClassCount; k++) classes[k] = EvaluateClass(table, k, classNames[k]);

        var counted = classes.Where(c => c.Ap07.HasValue).ToArray();
        return counted.Length == 0
            ? new VocResult(classes, null, null)
            : new VocResult(classes, counted.Average(c => c.Ap07!.Value), counted.Average(c => c.ApArea!.Value));
    }

    private static VocClassResult EvaluateClass(EvaluationTable table, int k, string name)
    {
        int from = table.ClassStart[k], count = table.ClassStart[k + 1] - from, positives = table.ClassPositives[k];
        if (positives == 0) return new VocClassResult(k + 1, name, null, null, 0, count, new PrecisionRecallCurve([], []));

        var taken = new bool[table.GtStart[^1]];
        var recall = new double[count];
        var precision = new double[count];
        double tp = 0, fp = 0;
        for (var n = 0; n < count; n++)
        {
            var d = table.ClassOrder[from + n];
            var group = table.Group(k, table.DtImage[d]);
            var best = BestOverlap(table, d, table.GtStart[group], table.GtStart[group + 1], out var overlap);
            if (overlap > IouThreshold)
            {
                if (!table.GtIgnore[best])
                {
                    if (taken[best]) fp++;
                    else
                    {
                        tp++;
                        taken[best] = true;
                    }
                }
            }
            else fp++;
            recall[n] = tp / positives;
            precision[n] = tp / Math.Max(tp + fp, Float64.Epsilon);
        }
        return new VocClassResult(k + 1, name, ElevenPointAp(recall, precision), AreaAp(recall, precision), positives, count,
            new PrecisionRecallCurve(recall, precision));
    }

    /// <summary>The first ground truth with the highest devkit IoU (+1 widths) with detection <paramref name="d"/>; −1 when there is none.</summary>
    private static int BestOverlap(EvaluationTable table, int d, int gtFrom, int gtTo, out double overlap)
    {
        double x1 = table.DtX1[d], y1 = table.DtY1[d], x2 = table.DtX2[d], y2 = table.DtY2[d];
        var area = (x2 - x1 + 1) * (y2 - y1 + 1);
        overlap = double.NegativeInfinity;
        var best = -1;
        for (var g = gtFrom; g < gtTo; g++)
        {
            var iw = Math.Max(Math.Min(x2, table.GtX2[g]) - Math.Max(x1, table.GtX1[g]) + 1, 0);
            var ih = Math.Max(Math.Min(y2, table.GtY2[g]) - Math.Max(y1, table.GtY1[g]) + 1, 0);
            var inter = iw * ih;
            var union = area + (table.GtX2[g] - table.GtX1[g] + 1) * (table.GtY2[g] - table.GtY1[g] + 1) - inter;
            var iou = inter / union;
            if (iou > overlap)
            {
                overlap = iou;
                best = g;
            }
        }
        return best;
    }

    /// <summary>VOC2007: mean over t = 0, 0.1, …, 1 of the highest precision at recall ≥ t (0 where none).</summary>
    internal static double ElevenPointAp(IReadOnlyList<double> recall, IReadOnlyList<double> precision)
    {
        var ap = 0.0;
        for (var i = 0; i < 11; i++)
        {
            // The devkit's thresholds are np.arange(0, 1.1, 0.1), i.e. i * 0.1 with its rounding.
            var t = i * 0.1;
            var p = 0.0;
            for (var n = 0; n < recall.Count; n++)
            {
                if (recall[n] >= t && precision[n] > p) p = precision[n];
            }
            ap += p / 11;
        }
        return ap;
    }

    /// <summary>VOC2010+: area under the precision envelope, summed where recall changes.</summary>
    internal static double AreaAp(IReadOnlyList<double> recall, IReadOnlyList<double> precision)
    {
        var n = recall.Count;
        var mrec = new double[n + 2];
        var mpre = new double[n + 2];
        mrec[n + 1] = 1;
        for (var i = 0; i < n; i++)
        {
            mrec[i + 1] = recall[i];
            mpre[i + 1] = precision[i];
        }
        for (var i = n; i > 0; i--) mpre[i] = Math.Max(mpre[i], mpre[i + 1]);
        var ap = 0.0;
        for (var i = 0; i <= n; i++)
        {
            if (mrec[i + 1] != mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
        }
        return ap;
    }
}
