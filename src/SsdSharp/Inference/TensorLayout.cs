namespace SsdSharp.Inference;

/// <summary>Memory layout of activations and convolution weights.</summary>
public enum TensorLayout
{
    /// <summary>NCHW, libtorch's default.</summary>
    Contiguous,

    /// <summary>NHWC strides ("channels last"), faster for convolutions on some CPUs.</summary>
    ChannelsLast,
}
