using SsdSharp.Data;
using SsdSharp.Inference;

namespace SsdSharp.Evaluation;

/// <summary>
/// The COCO bounding-box protocol exactly as the COCO evaluation API (pycocotools <c>COCOeval</c>,
/// iouType "bbox") computes it: per image and category the top 100 detections by score are matched
/// greedily at each IoU threshold 0.50:0.05:0.95; crowd ground truth (and VOC difficult objects) is
/// matched by the crowd rule (IoU = intersection / detection area, any number of times) and ignored;
/// precision is interpolated at 101 recall points; area ranges use the annotation's <c>area</c>.
/// </summary>
/// <remarks>
/// Every comparison, tie rule and threshold follows the API's code (its stable sorts, its
/// <c>np.linspace</c> thresholds, its break when a match to real ground truth would move to ignored
/// ground truth), so the numbers agree to rounding. Work is O(detections × ground truth per image) in
/// flat arrays, with one sort for all detections.
/// </remarks>
public static class CocoEvaluator
{
    private const int AreaRangeCount = 4;
    private const int MaxDetections = 100;

    /// <summary>IoU thresholds 0.50, 0.55, …, 0.95, as <c>np.linspace(.5, .95, 10)</c> rounds them.</summary>
    public static IReadOnlyList<double> IouThresholds { get; } = Linspace(0.5, 0.95, 10);

    /// <summary>Recall thresholds 0, 0.01, …, 1, as <c>np.linspace(0, 1, 101)</c> rounds them.</summary>
    public static IReadOnlyList<double> RecallThresholds { get; } = Linspace(0.0, 1.0, 101);

    /// <summary>Detections per image considered: 1, 10, 100.</summary>
    public static IReadOnlyList<int> MaxDetectionSteps { get; } = [1, 10, MaxDetections];

    /// <summary>Area ranges all, small, medium, large, in pixels², bounds inclusive.</summary>
    public static IReadOnlyList<(double Min, double Max)> AreaRanges { get; } =
        [(0, 1e5 * 1e5), (0, 32 * 32), (32 * 32, 96 * 96), (96 * 96, 1e5 * 1e5)];

    /// <summary>Evaluates detections against ground truth.</summary>
    /// <param name="groundTruth">The images with their objects; boxes in 0-based pixels.</param>
    /// <param name="detections">Detections keyed by <see cref="ImageAnnotation.Id"/>; an image without an entry has none.</param>
    /// <param name="classNames">The class (category) names, index k naming class id k + 1.</param>
    /// <exception cref="SsdInputException">A detection or object names an unknown image or class id.</exception>
    public static CocoResult Evaluate(IReadOnlyList<ImageAnnotation> groundTruth, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var table = EvaluationTable.Build(groundTruth, detections, classNames.Count);
        var matches = MatchImages(table, out var positives);
        var accumulated = new ClassAccumulation[table.ClassCount];
        Parallel.For(0, table.ClassCount, k => accumulated[k] = Accumulate(table, matches, positives, k));
        return Summarize(accumulated, classNames);
    }

    /// <summary>
    /// The API's <c>evaluateImg</c> for every (category, image) and area range: which of the top 100
    /// detections are true and false positives at each IoU threshold (bit t of the two masks; a
    /// detection that is neither is ignored). <paramref name="positives"/> counts the ground truth
    /// that is not ignored per category and area range.
    /// </summary>
    private static Matches MatchImages(EvaluationTable table, out int[] positives)
    {
        var detectionCount = table.DtStart[^1];
        var matches = new Matches(new ushort[AreaRangeCount * detectionCount], new ushort[AreaRangeCount * detectionCount], detectionCount);
        var counts = new int[table.ClassCount * AreaRangeCount];
        Parallel.For(0, table.ImageCount, () => new Scratch(table.ClassCount), (i, _, scratch) =>
        {
            for (var k = 0; k < table.ClassCount; k++) MatchGroup(table, table.Group(k, i), k, matches, scratch);
            return scratch;
        }, scratch =>
        {
            lock (counts)
            {
                for (var j = 0; j < counts.Length; j++) counts[j] += scratch.Positives[j];
            }
        });
        positives = counts;
        return matches;
    }

    private static void MatchGroup(EvaluationTable table, int group, int k, Matches matches, Scratch s)
    {
        int gtFrom = table.GtStart[group], gtCount = table.GtStart[group + 1] - gtFrom;
        int dtFrom = table.DtStart[group], dtCount = Math.Min(table.DtStart[group + 1] - dtFrom, MaxDetections);
        if (gtCount == 0 && dtCount == 0) return;
        s.Reserve(gtCount, dtCount);
        ComputeIous(table, gtFrom, gtCount, dtFrom, dtCount, s.Ious);

        var thresholds = IouThresholds.Count;
        for (var a = 0; a < AreaRangeCount; a++)
        {
            var (min, max) = AreaRanges[a];
            // Ground truth that is not ignored first, ignored last, each in file order (the API's stable argsort).
            var n = 0;
            for (var g = 0; g < gtCount; g++)
            {
                if (!IsIgnored(table, gtFrom + g, min, max)) s.Order[n++] = g;
            }
            s.Positives[k * AreaRangeCount + a] += n;
            var firstIgnored = n;
            for (var g = 0; g < gtCount; g++)
            {
                if (IsIgnored(table, gtFrom + g, min, max)) s.Order[n++] = g;
            }

            Array.Clear(s.Taken, 0, thresholds * gtCount);
            for (var d = 0; d < dtCount; d++)
            {
                var slot = dtFrom + d;
                var dtArea = (table.DtX2[slot] - table.DtX1[slot]) * (table.DtY2[slot] - table.DtY1[slot]);
                var outOfRange = dtArea < min || dtArea > max;
                int tp = 0, fp = 0;
                for (var t = 0; t < thresholds; t++)
                {
                    var m = BestMatch(table, gtFrom, gtCount, firstIgnored, s, d, t);
                    if (m >= 0)
                    {
                        s.Taken[t * gtCount + m] = true;
                        if (m < firstIgnored) tp |= 1 << t;
                    }
                    else if (!outOfRange) fp |= 1 << t;
                }
                matches.TruePositive[a * matches.DetectionCount + slot] = (ushort)tp;
                matches.FalsePositive[a * matches.DetectionCount + slot] = (ushort)fp;
            }
        }
    }

    /// <summary>
    /// The API's inner matching loop for detection <paramref name="d"/> at threshold index
    /// <paramref name="t"/>: the position (in the ignore-last order) of the ground truth it matches, or −1.
    /// </summary>
    private static int BestMatch(EvaluationTable table, int gtFrom, int gtCount, int firstIgnored, Scratch s, int d, int t)
    {
        var iou = Math.Min(IouThresholds[t], 1 - 1e-10);
        var m = -1;
        for (var position = 0; position < gtCount; position++)
        {
            var g = s.Order[position];
            var crowd = table.GtIgnore[gtFrom + g];
            if (s.Taken[t * gtCount + position] && !crowd) continue;
            // Matched to real ground truth already: stop before the ignored ones.
            if (m > -1 && m < firstIgnored && position >= firstIgnored) break;
            var value = s.Ious[d * gtCount + g];
            if (value < iou) continue;
            iou = value;
            m = position;
        }
        return m;
    }

    private static bool IsIgnored(EvaluationTable table, int g, double min, double max) =>
        table.GtIgnore[g] || table.GtArea[g] < min || table.GtArea[g] > max;

    /// <summary>pycocotools' <c>bbIou</c>: box IoU, or intersection over detection area for crowd ground truth; [detection, ground truth].</summary>
    private static void ComputeIous(EvaluationTable table, int gtFrom, int gtCount, int dtFrom, int dtCount, double[] ious)
    {
        for (var d = 0; d < dtCount; d++)
        {
            var slot = dtFrom + d;
            double x1 = table.DtX1[slot], y1 = table.DtY1[slot], x2 = table.DtX2[slot], y2 = table.DtY2[slot];
            var dtArea = (x2 - x1) * (y2 - y1);
            for (var g = 0; g < gtCount; g++)
            {
                var j = gtFrom + g;
                var value = 0.0;
                var w = Math.Min(x2, table.GtX2[j]) - Math.Max(x1, table.GtX1[j]);
                var h = Math.Min(y2, table.GtY2[j]) - Math.Max(y1, table.GtY1[j]);
                if (w > 0 && h > 0)
                {
                    var inter = w * h;
                    var union = table.GtIgnore[j] ? dtArea : dtArea + (table.GtX2[j] - table.GtX1[j]) * (table.GtY2[j] - table.GtY1[j]) - inter;
                    value = inter / union;
                }
                ious[d * gtCount + g] = value;
            }
        }
    }

    /// <summary>
    /// The API's <c>accumulate</c> for one category: interpolated precision [t, r] and recall [t] per
    /// area range and detection limit; null where the category has no ground truth that counts.
    /// </summary>
    private static ClassAccumulation Accumulate(EvaluationTable table, Matches matches, int[] positives, int k)
    {
        int thresholds = IouThresholds.Count, recallPoints = RecallThresholds.Count, limits = MaxDetectionSteps.Count;
        // The category's detections by descending score (at most 100 per image), with their rank in their image.
        var from = table.ClassStart[k];
        var all = table.ClassStart[k + 1] - from;
        var slots = new int[all];
        var ranks = new int[all];
        var n = 0;
        for (var j = 0; j < all; j++)
        {
            var slot = table.ClassOrder[from + j];
            if (table.DtRank[slot] >= MaxDetections) continue;
            slots[n] = slot;
            ranks[n++] = table.DtRank[slot];
        }
        var tpBits = new ushort[n];
        var fpBits = new ushort[n];

        var precision = new double[AreaRangeCount, limits][];
        var recall = new double[AreaRangeCount, limits][];
        // Precision at each true positive, indexed by the count of true positives so far.
        var atTruePositive = new double[n + 1];
        for (var a = 0; a < AreaRangeCount; a++)
        {
            var npig = positives[k * AreaRangeCount + a];
            if (npig == 0) continue;
            var offset = a * matches.DetectionCount;
            for (var j = 0; j < n; j++)
            {
                tpBits[j] = matches.TruePositive[offset + slots[j]];
                fpBits[j] = matches.FalsePositive[offset + slots[j]];
            }
            for (var m = 0; m < limits; m++)
            {
                var limit = MaxDetectionSteps[m];
                var q = new double[thresholds * recallPoints];
                var r = new double[thresholds];
                for (var t = 0; t < thresholds; t++)
                {
                    // The API's precision envelope and recall search need precision only where recall rises (at
                    // true positives): the envelope's maxima sit there, and the first point reaching a recall
                    // threshold is one (or the first point, for threshold 0, whose envelope value is the same).
                    var tp = 0;
                    double fp = 0;
                    for (var j = 0; j < n; j++)
                    {
                        if (ranks[j] >= limit) continue;
                        if ((tpBits[j] >> t & 1) != 0)
                        {
                            tp++;
                            atTruePositive[tp] = tp / (fp + tp + Float64.Epsilon);
                        }
                        else if ((fpBits[j] >> t & 1) != 0) fp++;
                    }
                    r[t] = (double)tp / npig;
                    for (var e = tp - 1; e > 0; e--)
                    {
                        if (atTruePositive[e + 1] > atTruePositive[e]) atTruePositive[e] = atTruePositive[e + 1];
                    }
                    // np.searchsorted(rc, recThrs, side='left'): the first point whose recall reaches each threshold.
                    var reached = 1;
                    for (var ri = 0; ri < recallPoints; ri++)
                    {
                        while (reached <= tp && (double)reached / npig < RecallThresholds[ri]) reached++;
                        if (reached > tp) break;
                        q[t * recallPoints + ri] = atTruePositive[reached];
                    }
                }
                precision[a, m] = q;
                recall[a, m] = r;
            }
        }
        return new ClassAccumulation(precision, recall, positives[k * AreaRangeCount], n);
    }

    private static CocoResult Summarize(ClassAccumulation[] classes, IReadOnlyList<string> classNames)
    {
        var last = MaxDetectionSteps.Count - 1;
        var t50 = ThresholdIndex(0.5);
        var t75 = ThresholdIndex(0.75);
        var metrics = new CocoMetrics(
            MeanPrecision(classes, 0, last, null), MeanPrecision(classes, 0, last, t50), MeanPrecision(classes, 0, last, t75),
            MeanPrecision(classes, 1, last, null), MeanPrecision(classes, 2, last, null), MeanPrecision(classes, 3, last, null),
            MeanRecall(classes, 0, 0), MeanRecall(classes, 0, 1), MeanRecall(classes, 0, last),
            MeanRecall(classes, 1, last), MeanRecall(classes, 2, last), MeanRecall(classes, 3, last));

        var recallPoints = RecallThresholds.Count;
        var perClass = new CocoClassResult[classes.Length];
        for (var k = 0; k < classes.Length; k++)
        {
            var q = classes[k].Precision[0, last];
            perClass[k] = q is null
                ? new CocoClassResult(k + 1, classNames[k], null, null, 0, classes[k].DetectionCount, new PrecisionRecallCurve([], []))
                : new CocoClassResult(k + 1, classNames[k], q.Average(), q.AsSpan(t50 * recallPoints, recallPoints).ToArray().Average(),
                    classes[k].Positives, classes[k].DetectionCount,
                    new PrecisionRecallCurve(RecallThresholds, q.AsSpan(t50 * recallPoints, recallPoints).ToArray()));
        }
        return new CocoResult(metrics, perClass);
    }

    /// <summary>Mean interpolated precision over categories with ground truth (and over thresholds and recall points), −1 when none.</summary>
    private static double MeanPrecision(ClassAccumulation[] classes, int area, int limit, int? threshold)
    {
        var recallPoints = RecallThresholds.Count;
        double sum = 0;
        long count = 0;
        foreach (var c in classes)
        {
            if (c.Precision[area, limit] is not { } q) continue;
            var span = threshold is { } t ? q.AsSpan(t * recallPoints, recallPoints) : q.AsSpan();
            foreach (var value in span) sum += value;
            count += span.Length;
        }
        return count == 0 ? -1 : sum / count;
    }

    /// <summary>Mean recall over categories with ground truth and thresholds, −1 when none.</summary>
    private static double MeanRecall(ClassAccumulation[] classes, int area, int limit)
    {
        double sum = 0;
        long count = 0;
        foreach (var c in classes)
        {
            if (c.Recall[area, limit] is not { } r) continue;
            foreach (var value in r) sum += value;
            count += r.Length;
        }
        return count == 0 ? -1 : sum / count;
    }

    /// <summary>The index whose threshold equals <paramref name="iou"/> exactly, as the API's <c>np.where(iouThr == p.iouThrs)</c> finds it.</summary>
    private static int ThresholdIndex(double iou)
    {
        for (var t = 0; t < IouThresholds.Count; t++)
        {
            if (IouThresholds[t] == iou) return t;
        }
        throw new InvalidOperationException($"IoU threshold {iou} is not among the COCO thresholds");
    }

    /// <summary><c>np.linspace(start, stop, num)</c>: start + i · step with step = (stop − start) / (num − 1), the last value exactly stop.</summary>
    private static double[] Linspace(double start, double stop, int num)
    {
        var step = (stop - start) / (num - 1);
        var values = new double[num];
        for (var i = 0; i < num; i++) values[i] = i * step + start;
        values[^1] = stop;
        return values;
    }

    /// <summary>True- and false-positive bit masks per (area range, detection slot); bit t for IoU threshold t.</summary>
    private sealed record Matches(ushort[] TruePositive, ushort[] FalsePositive, int DetectionCount);

    private sealed record ClassAccumulation(double[]?[,] Precision, double[]?[,] Recall, int Positives, int DetectionCount);

    /// <summary>Per-thread buffers for one (category, image) group, grown as needed.</summary>
    private sealed class Scratch(int classCount)
    {
        public readonly int[] Positives = new int[classCount * AreaRangeCount];
        public double[] Ious = [];
        public int[] Order = [];
        public bool[] Taken = [];

        public void Reserve(int gtCount, int dtCount)
        {
            if (Ious.Length < gtCount * dtCount) Ious = new double[gtCount * dtCount * 2];
            if (Order.Length < gtCount)
            {
                Order = new int[gtCount * 2];
                Taken = new bool[IouThresholds.Count * gtCount * 2];
            }
        }
    }
}
