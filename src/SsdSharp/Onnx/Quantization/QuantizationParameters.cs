namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// Affine 8-bit quantization of a tensor as ONNX's <c>QuantizeLinear</c> applies it:
/// <c>q = saturate(round_half_even(x / Scale) + ZeroPoint)</c>, and back <c>x ≈ (q − ZeroPoint) · Scale</c>.
/// </summary>
/// <param name="Scale">Float step between neighbouring integers.</param>
/// <param name="ZeroPoint">The integer that stands for 0 (exactly representable, so padding and ReLU stay exact).</param>
public readonly record struct QuantizationParameters(float Scale, int ZeroPoint)
{
    /// <summary>
    /// Parameters that cover <paramref name="range"/> widened to include 0, in all 256 steps of
    /// <paramref name="type"/>. A range that is a single point gets scale 1.
    /// </summary>
    public static QuantizationParameters ForActivation(ActivationRange range, ActivationType type)
    {
        var (qmin, qmax) = type == ActivationType.UInt8 ? (0, 255) : (-128, 127);
        double min = Math.Min(0, range.Min), max = Math.Max(0, range.Max);
        double scale = (max - min) / (qmax - qmin);
        if (scale == 0 || !double.IsFinite(scale)) return new QuantizationParameters(1, 0);
        int zeroPoint = (int)Math.Clamp(Math.Round(qmin - min / scale, MidpointRounding.ToEven), qmin, qmax);
        return new QuantizationParameters((float)scale, zeroPoint);
    }

    /// <summary>The quantized value of <paramref name="x"/> in <paramref name="type"/> (what <c>QuantizeLinear</c> computes).</summary>
    public int Quantize(float x, ActivationType type)
    {
        var (qmin, qmax) = type == ActivationType.UInt8 ? (0, 255) : (-128, 127);
        return (int)Math.Clamp(Math.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint, qmin, qmax);
    }
}
