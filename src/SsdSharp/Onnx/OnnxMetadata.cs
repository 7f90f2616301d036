using System.Globalization;
using System.Text.Json;
using SsdSharp.Configuration;
using SsdSharp.Preprocessing;

namespace SsdSharp.Onnx;

/// <summary>
/// The <c>metadata_props</c> of an exported model: what a consumer needs besides the graph to turn
/// images into detections (classes, input size and preprocessing, post-processing defaults), and the
/// full configuration so that SsdSharp opens the file on its own.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>Marks files written by <see cref="OnnxExporter"/>; value <see cref="FormatValue"/>.</summary>
    public const string FormatKey = "ssdsharp.format";

    /// <summary>The format and its version.</summary>
    public const string FormatValue = "ssdsharp-onnx/1";

    /// <summary>The whole <see cref="SsdConfig"/> as JSON.</summary>
    public const string ConfigKey = "ssdsharp.config";

    /// <summary>
    /// Present in int8 models only (<see cref="Quantization.OnnxQuantizer"/>): JSON describing the quantization
    /// (weights, activation type, calibration method and images, convolutions left in float).
    /// </summary>
    public const string QuantizationKey = "ssdsharp.quantization";

    /// <summary>Object class names as a JSON array: class id i + 1 (in <c>scores</c> and <c>detections</c>) is entry i; id 0 is the background.</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>Side of the square input in pixels.</summary>
    public const string InputSizeKey = "input_size";

    /// <summary><c>RGB</c> or <c>BGR</c>: the order of the input's channels.</summary>
    public const string ChannelOrderKey = "channel_order";

    /// <summary>JSON array of the three means subtracted per channel (in channel order), in units of <c>pixel_range</c>.</summary>
    public const string PixelMeansKey = "pixel_means";

    /// <summary>JSON array of the three divisors applied per channel after the means (1: none).</summary>
    public const string PixelStdsKey = "pixel_stds";

    /// <summary>What a full-intensity 8-bit channel is worth before the means apply: 255 (the bytes as they are) or 1 (divided by 255).</summary>
    public const string PixelRangeKey = "pixel_range";

    /// <summary>How images become the input: resize, channel order, values, means and stds, and whether they apply before the resize.</summary>
    public const string PreprocessingKey = "preprocessing";

    /// <summary>Post-processing defaults: score threshold, NMS IoU threshold, candidates and kept boxes per class, cap per image (0: none).</summary>
    public const string ConfidenceThresholdKey = "conf_threshold", NmsThresholdKey = "nms_threshold", TopKKey = "top_k", MaxDetectionsKey = "max_detections";

    /// <summary>The metadata of a model of <paramref name="config"/> with post-processing <paramref name="postProcessing"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(SsdConfig config, DetectionOptions postProcessing) => new Dictionary<string, string>
    {
        [FormatKey] = FormatValue,
        [ConfigKey] = config.ToJson(),
        [ClassNamesKey] = JsonSerializer.Serialize(config.ClassNames),
        [InputSizeKey] = Number(config.InputSize),
        [ChannelOrderKey] = config.ChannelOrder == ChannelOrder.Rgb ? "RGB" : "BGR",
        [PixelMeansKey] = JsonSerializer.Serialize(config.PixelMeans),
        [PixelStdsKey] = JsonSerializer.Serialize(config.PixelStds),
        [PixelRangeKey] = Number(config.PixelRange),
        [PreprocessingKey] = NetworkInputFormat.From(config).Description,
        [ConfidenceThresholdKey] = Number(postProcessing.ConfidenceThreshold),
        [NmsThresholdKey] = Number(postProcessing.NmsThreshold),
        [TopKKey] = Number(postProcessing.TopK),
        [MaxDetectionsKey] = Number(postProcessing.MaxDetections ?? 0),
    };

    /// <summary>The configuration recorded in a model's metadata.</summary>
    /// <param name="metadata">The model's <c>metadata_props</c>.</param>
    /// <param name="source">The file, for error messages.</param>
    /// <exception cref="SsdInputException">The model was not written by SsdSharp, or its configuration is invalid.</exception>
    public static SsdConfig ReadConfig(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(FormatKey, out var format) || format != FormatValue || !metadata.TryGetValue(ConfigKey, out var json))
            throw new SsdInputException($"{source}: an ONNX model without SsdSharp metadata ('{FormatKey}': '{FormatValue}' and '{ConfigKey}'); export it with `ssd export`");
        return SsdConfig.FromJson(json, $"{source} (metadata {ConfigKey})");
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
