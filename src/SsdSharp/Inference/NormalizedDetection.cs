namespace SsdSharp.Inference;

/// <summary>A detection in normalised coordinates, before scaling to an image.</summary>
/// <param name="ClassId">Class id 1…K.</param>
/// <param name="Score">Softmax score.</param>
/// <param name="X1">Left, normalised, unclipped.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
public readonly record struct NormalizedDetection(int ClassId, float Score, float X1, float Y1, float X2, float Y2);
