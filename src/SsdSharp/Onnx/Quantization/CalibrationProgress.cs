namespace SsdSharp.Onnx.Quantization;

/// <summary>How far calibration is.</summary>
/// <param name="Pass">1: ranges (min and max); 2: histograms (percentile and entropy only).</param>
/// <param name="Passes">1 for min-max, 2 otherwise.</param>
/// <param name="Done">Images of this pass done.</param>
/// <param name="Total">Images per pass.</param>
public readonly record struct CalibrationProgress(int Pass, int Passes, int Done, int Total);
