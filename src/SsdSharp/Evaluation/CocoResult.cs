namespace SsdSharp.Evaluation;

/// <summary>
/// The twelve numbers the COCO evaluation API prints for bounding boxes, in its order. A value is −1,
/// as the API prints it, where no category has ground truth in that area range.
/// </summary>
/// <param name="AP">AP averaged over IoU 0.50:0.05:0.95, all areas, 100 detections.</param>
/// <param name="AP50">AP at IoU 0.50.</param>
/// <param name="AP75">AP at IoU 0.75.</param>
/// <param name="APs">AP for small objects (area ≤ 32²; the bounds are inclusive, as pycocotools').</param>
/// <param name="APm">AP for medium objects (32² ≤ area ≤ 96²).</param>
/// <param name="APl">AP for large objects (area ≥ 96²).</param>
/// <param name="AR1">Recall with 1 detection per image and category, averaged over IoU thresholds.</param>
/// <param name="AR10">Recall with 10 detections.</param>
/// <param name="AR100">Recall with 100 detections.</param>
/// <param name="ARs">Recall for small objects, 100 detections.</param>
/// <param name="ARm">Recall for medium objects.</param>
/// <param name="ARl">Recall for large objects.</param>
public sealed record CocoMetrics(double AP, double AP50, double AP75, double APs, double APm, double APl,
    double AR1, double AR10, double AR100, double ARs, double ARm, double ARl)
{
    /// <summary>The names of the twelve numbers, as keys in reports, in the API's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"];

    /// <summary>The twelve numbers in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<double> Values => [AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl];

    /// <summary>The twelve lines exactly as the COCO API's <c>summarize()</c> prints them.</summary>
    public IReadOnlyList<string> Summary()
    {
        (string Iou, string Area, int MaxDets)[] rows =
        [
            ("0.50:0.95", "all", 100), ("0.50", "all", 100), ("0.75", "all", 100),
            ("0.50:0.95", "small", 100), ("0.50:0.95", "medium", 100), ("0.50:0.95", "large", 100),
            ("0.50:0.95", "all", 1), ("0.50:0.95", "all", 10), ("0.50:0.95", "all", 100),
            ("0.50:0.95", "small", 100), ("0.50:0.95", "medium", 100), ("0.50:0.95", "large", 100),
        ];
        var values = Values;
        return rows.Select((row, i) =>
        {
            var title = i < 6 ? "Average Precision  (AP)" : "Average Recall     (AR)";
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $" {title} @[ IoU={row.Iou,-9} | area={row.Area,6} | maxDets={row.MaxDets,3} ] = {values[i]:0.000}");
        }).ToArray();
    }
}

/// <summary>The COCO evaluation of one category (all areas, 100 detections).</summary>
/// <param name="ClassId">Class id 1…K.</param>
/// <param name="Name">Class name.</param>
/// <param name="AP">AP averaged over the ten IoU thresholds; null when the category has no ground truth that counts.</param>
/// <param name="AP50">AP at IoU 0.50; null likewise.</param>
/// <param name="NumGt">Ground truth objects that count (crowd and difficult ones excluded).</param>
/// <param name="NumDet">Detections of the category that enter the evaluation (at most 100 per image).</param>
/// <param name="Curve50">Interpolated precision at the 101 recall thresholds, IoU 0.50 (empty when AP is null).</param>
public sealed record CocoClassResult(int ClassId, string Name, double? AP, double? AP50, int NumGt, int NumDet, PrecisionRecallCurve Curve50);

/// <summary>The COCO evaluation of a detection set.</summary>
/// <param name="Metrics">The twelve summary numbers.</param>
/// <param name="Classes">One entry per class, in class id order.</param>
public sealed record CocoResult(CocoMetrics Metrics, IReadOnlyList<CocoClassResult> Classes);
