namespace SsdSharp.Evaluation;

/// <summary>The VOC evaluation of one class (SPEC §8).</summary>
/// <param name="ClassId">Class id 1…K.</param>
/// <param name="Name">Class name.</param>
/// <param name="Ap07">VOC2007 11-point AP; null when the class has no ground truth that counts (none, or only difficult ones).</param>
/// <param name="ApArea">VOC2010+ AP, the area under the monotone precision envelope; null when <paramref name="Ap07"/> is.</param>
/// <param name="NumGt">Ground truth objects of the class that count (difficult and crowd objects excluded).</param>
/// <param name="NumDet">Detections of the class.</param>
/// <param name="Curve">The raw precision–recall points, one per detection by descending score (empty without ground truth or detections).</param>
public sealed record VocClassResult(int ClassId, string Name, double? Ap07, double? ApArea, int NumGt, int NumDet, PrecisionRecallCurve Curve)
{
    /// <summary>
    /// Objects of <see cref="NumGt"/> that no detection of the class found (IoU above 0.5, each detection finding one
    /// object): what keeps the recall under 1. One such object caps the 11-point AP at 10/11 (0.909), whatever the precision.
    /// </summary>
    public int NumMissed => Curve.Recall.Count == 0 ? NumGt : NumGt - (int)Math.Round(Curve.Recall[^1] * NumGt);
}

/// <summary>The VOC evaluation of a detection set: per-class AP and the means.</summary>
/// <param name="Classes">One entry per class, in class id order.</param>
/// <param name="Map07">Mean of <see cref="VocClassResult.Ap07"/> over classes that have ground truth; null when none has.</param>
/// <param name="MapArea">Mean of <see cref="VocClassResult.ApArea"/> over the same classes.</param>
public sealed record VocResult(IReadOnlyList<VocClassResult> Classes, double? Map07, double? MapArea);
