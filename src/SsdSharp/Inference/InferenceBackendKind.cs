namespace SsdSharp.Inference;

/// <summary>The engines that can run an SSD network.</summary>
public enum InferenceBackendKind
{
    /// <summary>
    /// The fastest float32-accurate path on this machine for this model (see <see cref="AutoBackend"/>):
    /// timed once and remembered; an ONNX model always runs on ONNX Runtime.
    /// </summary>
    Auto,

    /// <summary>libtorch through TorchSharp (the SsdSharp.Torch assembly).</summary>
    LibTorch,

    /// <summary>ONNX Runtime (built into the core): an exported <c>.onnx</c> model, or a model exported on the fly.</summary>
    OnnxRuntime,
}
