using static TorchSharp.torch;

namespace SsdSharp.Inference;

/// <summary>Memory layout of activations and convolution weights.</summary>
public enum TensorLayout
{
    /// <summary>NCHW, libtorch's default.</summary>
    Contiguous,

    /// <summary>NHWC strides ("channels last"), often faster for convolutions on CPUs.</summary>
    ChannelsLast,
}

/// <summary>How and where a <see cref="SsdDetector"/> runs.</summary>
public sealed record DetectorOptions
{
    /// <summary>Post-processing settings (thresholds, top-k, caps).</summary>
    public DetectionOptions Detection { get; init; } = new();

    /// <summary>Device of the network; the CPU by default.</summary>
    public Device? Device { get; init; }

    /// <summary>Floating-point type of the network and its input (float32; bfloat16 for faster CPU inference).</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Memory layout of activations and weights.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Contiguous;

    /// <summary>Images per forward pass when detecting many files.</summary>
    public int BatchSize { get; init; } = 8;
}
