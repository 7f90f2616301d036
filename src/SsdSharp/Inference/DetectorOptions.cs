using SsdSharp.Configuration;

namespace SsdSharp.Inference;

/// <summary>How and where a <see cref="SsdDetector"/> runs.</summary>
public sealed record DetectorOptions
{
    /// <summary>Post-processing settings (thresholds, top-k, caps); null: the model's own (<see cref="DetectionOptions.For"/>).</summary>
    public DetectionOptions? Detection { get; init; }

    /// <summary>Which engine runs the network.</summary>
    public InferenceBackendKind Backend { get; init; } = InferenceBackendKind.LibTorch;

    /// <summary>Device of the network; a CUDA GPU when one is available, else the CPU, by default.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>Floating-point type of the network and its input.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>Memory layout of activations and weights.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Contiguous;

    /// <summary>Images per forward pass when detecting many files.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Checks the values.</summary>
    /// <exception cref="SsdInputException">Naming the wrong option.</exception>
    public DetectorOptions Validate()
    {
        Detection?.Validate();
        if (BatchSize < 1) throw new SsdInputException($"batch: must be at least 1, got {BatchSize}");
        return this;
    }
}
