namespace SsdSharp.Onnx.Quantization;

/// <summary>The 8-bit type of quantized activations (weights are always int8).</summary>
public enum ActivationType
{
    /// <summary>Unsigned, 0…255 with a zero point: ONNX Runtime's U8S8 kernels, the common choice on x86.</summary>
    UInt8,

    /// <summary>Signed, −128…127 with a zero point: ONNX Runtime's S8S8 kernels.</summary>
    Int8,
}
