namespace SsdSharp.Evaluation;

/// <summary>A precision–recall curve of one class, points in order of decreasing score threshold.</summary>
/// <param name="Recall">Recall at each point, in [0, 1], non-decreasing.</param>
/// <param name="Precision">Precision at each point, in [0, 1].</param>
public sealed record PrecisionRecallCurve(IReadOnlyList<double> Recall, IReadOnlyList<double> Precision);
