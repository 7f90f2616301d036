namespace SsdSharp.Onnx.Quantization;

/// <summary>How <see cref="OnnxQuantizer"/> calibrates and quantizes a model.</summary>
public sealed record QuantizationOptions
{
    /// <summary>How activation ranges are chosen (default: min-max, the most accurate on the bundled model; docs/quantization.md).</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Percentile method: the share of |x| inside the range, in percent.</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>Bins of the histogram of |x| (percentile and entropy).</summary>
    public int HistogramBins { get; init; } = 2048;

    /// <summary>The 8-bit type of activations.</summary>
    public ActivationType Activations { get; init; } = ActivationType.UInt8;

    /// <summary>
    /// Convolutions left in float, by name or prefix (<c>conf</c> keeps every <c>conf.k</c>). L2Norm,
    /// decoding, softmax and NMS are float always.
    /// </summary>
    public IReadOnlyList<string> KeepFloat { get; init; } = DefaultKeepFloat;

    /// <summary>The default of <see cref="KeepFloat"/>: none; every convolution runs in int8 (docs/quantization.md has the measurements).</summary>
    public static IReadOnlyList<string> DefaultKeepFloat { get; } = [];

    /// <summary>Calibration images per forward pass.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Opset, NMS and post-processing defaults of the model written.</summary>
    public OnnxExportOptions Export { get; init; } = new();

    /// <summary>Checks the values.</summary>
    /// <exception cref="SsdInputException">Naming the wrong option.</exception>
    public QuantizationOptions Validate()
    {
        Export.Validate();
        if (Percentile is <= 0 or > 100 || double.IsNaN(Percentile))
            throw new SsdInputException($"calibration-percentile: must be above 0 and at most 100, got {Percentile}");
        if (HistogramBins is < 256 or > 1 << 20) throw new SsdInputException($"histogram bins: must be from 256 to {1 << 20}, got {HistogramBins}");
        if (BatchSize < 1) throw new SsdInputException($"calibration batch: must be at least 1, got {BatchSize}");
        return this;
    }
}
