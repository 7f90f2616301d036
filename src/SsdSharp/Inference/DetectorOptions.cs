using SsdSharp.Configuration;

namespace SsdSharp.Inference;

/// <summary>How and where a <see cref="SsdDetector"/> runs.</summary>
public sealed record DetectorOptions
{
    /// <summary>Post-processing settings (thresholds, top-k, caps); null: the model's own (<see cref="DetectionOptions.For"/>).</summary>
    public DetectionOptions? Detection { get; init; }

    /// <summary>Which engine runs the network; by default the fastest float32-accurate one, timed once (<see cref="AutoBackend"/>).</summary>
    public InferenceBackendKind Backend { get; init; } = InferenceBackendKind.Auto;

    /// <summary>Device of the network; a CUDA GPU when one is available, else the CPU, by default.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>Floating-point type of the network and its input; float32 unless bfloat16 is asked for.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Auto;

    /// <summary>
    /// Memory layout of activations and weights (libtorch). With backend auto, the default (contiguous)
    /// lets both layouts compete; channels-last asks for libtorch in that layout.
    /// </summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Contiguous;

    /// <summary>
    /// Test-time augmentation: each image is detected as it is and mirrored left to right (the one augmentation SSD
    /// trains with that keeps the scene), and the two views' detections are merged by weighted box fusion at the NMS
    /// threshold: boxes averaged, scores the mean over both views (and still above the confidence threshold). Twice the
    /// network's work (one forward pass of twice the batch). Applies to every way of detecting on the detector
    /// (<c>Detect…</c>, tiles, files); not to <see cref="SsdDetector.Backend"/> and the single-view
    /// <see cref="SsdDetector.PostProcess(NetworkPredictions, int, string, int, int, DetectionOptions)"/> (the service of
    /// <c>ssd serve</c> mirrors and fuses on its own, with the two-view <c>PostProcess</c>), and the explanations of
    /// <c>ssd explain detect</c>, built on the single view, refuse it.
    /// </summary>
    public bool TestTimeAugmentation { get; init; }

    /// <summary>Images per forward pass when detecting many files (network inputs: twice as many with <see cref="TestTimeAugmentation"/>).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Folder for what is worth keeping between runs: <see cref="AutoBackend"/>'s choices and models
    /// exported to ONNX on the fly. Null: <see cref="IO.UserCache.Directory"/>.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Whether <see cref="AutoBackend"/> reuses and records its choice in the cache; false times the
    /// candidates on every load (so does the environment variable <see cref="AutoBackend.NoCacheVariable"/>=1).
    /// </summary>
    public bool CacheAutoChoice { get; init; } = true;

    /// <summary>Checks the values and that they go together.</summary>
    /// <exception cref="SsdInputException">Naming the wrong option or the conflict.</exception>
    public DetectorOptions Validate()
    {
        Detection?.Validate();
        if (BatchSize < 1) throw new SsdInputException($"batch: must be at least 1, got {BatchSize}");
        if (Backend == InferenceBackendKind.OnnxRuntime)
        {
            if (Precision == InferencePrecision.BFloat16)
                throw new SsdInputException("dtype bfloat16: the ONNX Runtime backend computes in float32; bfloat16 needs backend libtorch");
            if (Layout == TensorLayout.ChannelsLast)
                throw new SsdInputException("channels-last: a libtorch layout; ONNX Runtime chooses its own");
            if (Device.Kind == ComputeDeviceKind.Cuda)
                throw new SsdInputException($"device {Device}: the ONNX Runtime backend of this build runs on the CPU; use backend libtorch");
        }
        return this;
    }
}
