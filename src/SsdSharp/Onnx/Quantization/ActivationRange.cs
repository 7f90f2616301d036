namespace SsdSharp.Onnx.Quantization;

/// <summary>The float range an activation tensor is quantized over; values outside it are clipped.</summary>
/// <param name="Min">Lower end.</param>
/// <param name="Max">Upper end.</param>
public readonly record struct ActivationRange(float Min, float Max);
