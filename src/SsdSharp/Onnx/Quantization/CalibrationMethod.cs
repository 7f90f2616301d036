namespace SsdSharp.Onnx.Quantization;

/// <summary>How the range of an activation tensor is chosen from what calibration observed.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum: no value clipped, the coarsest steps.</summary>
    MinMax,

    /// <summary>
    /// Clips the largest magnitudes: the range ends where the histogram of |x| reaches
    /// <see cref="QuantizationOptions.Percentile"/> percent of the values.
    /// </summary>
    Percentile,

    /// <summary>
    /// The clipping threshold whose quantized histogram of |x| is closest to the observed one in
    /// Kullback–Leibler divergence (TensorRT's entropy calibration).
    /// </summary>
    Entropy,
}
