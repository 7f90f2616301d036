namespace SsdSharp.Inference;

/// <summary>The engines that can run an SSD network.</summary>
public enum InferenceBackendKind
{
    /// <summary>libtorch through TorchSharp (the SsdSharp.Torch assembly).</summary>
    LibTorch,
}
