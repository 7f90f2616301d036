using SsdSharp.Configuration;

namespace SsdSharp.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Oldest operator set the exporter writes: the first with <c>ReduceSum</c> axes as an input and per-axis <c>Softmax</c>.</summary>
    public const int MinOpset = 13;

    /// <summary>Newest operator set the exporter writes (ONNX 1.16); up to it every operator used means what it means at <see cref="MinOpset"/>.</summary>
    public const int MaxOpset = 21;

    /// <summary>The ONNX operator set (default 17: ONNX 1.12, IR version 8, read by every current runtime).</summary>
    public int Opset { get; init; } = 17;

    /// <summary>
    /// Whether the graph also runs the post-processing of SPEC §5 (per class: the <see cref="DetectionOptions.TopK"/>
    /// best candidates above the threshold, then <c>NonMaxSuppression</c>) and returns the detections as an
    /// output <c>detections</c> <c>[M, 7]</c>. The global cap per image is left to the consumer (metadata <c>max_detections</c>).
    /// </summary>
    public bool WithNms { get; init; }

    /// <summary>
    /// Whether batch normalisation is folded into the preceding convolutions (the default: one
    /// operator fewer per layer) rather than written as <c>BatchNormalization</c> nodes.
    /// </summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>The post-processing settings recorded in the metadata and used by the NMS graph; null: the model's own (<see cref="DetectionOptions.For"/>).</summary>
    public DetectionOptions? PostProcessing { get; init; }

    /// <summary>The post-processing a model of <paramref name="config"/> is exported with: <see cref="PostProcessing"/>, or else the model's own.</summary>
    /// <exception cref="SsdInputException">The settings are invalid or do not go with the NMS graph.</exception>
    public DetectionOptions PostProcessingFor(SsdConfig config) => Check(PostProcessing ?? DetectionOptions.For(config));

    /// <summary>Checks the values.</summary>
    /// <exception cref="SsdInputException">Naming the wrong option.</exception>
    public OnnxExportOptions Validate()
    {
        if (Opset is < MinOpset or > MaxOpset) throw new SsdInputException($"opset: must be from {MinOpset} to {MaxOpset}, got {Opset}");
        if (PostProcessing is { } postProcessing) Check(postProcessing);
        return this;
    }

    private DetectionOptions Check(DetectionOptions postProcessing)
    {
        postProcessing.Validate();
        if (WithNms && postProcessing.ClassAgnostic)
            throw new SsdInputException("with-nms: the exported NMS is per class (the reference's); class-agnostic NMS does not go with it");
        return postProcessing;
    }
}
