using System.Text.Json;
using Google.Protobuf;
using Onnx;
using SsdSharp.Configuration;
using SsdSharp.IO;
using SsdSharp.Weights;

namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// Static post-training quantization of an SSD to int8 in ONNX's QDQ form, computed entirely here:
/// the float model of <see cref="OnnxExporter"/>, activation ranges calibrated by running it on real
/// images (<see cref="CalibrationMethod"/>), then convolution weights in symmetric int8 per output
/// channel and activations in 8 bits (<see cref="QdqPlan"/>, <see cref="QdqRewriter"/>). ONNX Runtime
/// fuses the result into integer convolutions. Inputs and outputs are those of the float model;
/// the metadata gains <see cref="OnnxMetadata.QuantizationKey"/>.
/// </summary>
/// <example>
/// <code>
/// var (config, stateDict) = ModelFile.Load("model.safetensors");
/// var images = CalibrationImages.From(DatasetSpec.Parse("VOC:data"), "trainval", NetworkInputFormat.From(config), count: 256, seed: 0);
/// OnnxQuantizer.Save("model.int8.onnx", config, stateDict, images);
/// </code>
/// </example>
public static class OnnxQuantizer
{
    /// <summary>The quantized model, serialised.</summary>
    /// <param name="config">The network's configuration.</param>
    /// <param name="stateDict">Its float weights.</param>
    /// <param name="images">Calibration images, preprocessed as the network's input (<c>3 · S · S</c> floats each), read once per pass.</param>
    /// <param name="options">Method, activation type, layers kept float, export options.</param>
    /// <param name="progress">Reports calibration progress.</param>
    /// <param name="calibration">Where the images came from, recorded in the metadata.</param>
    /// <param name="source">Where the weights came from, for error messages.</param>
    /// <exception cref="SsdInputException">No images, images of the wrong size, or invalid options.</exception>
    /// <exception cref="WeightsException">The state dict does not fit the configuration.</exception>
    public static byte[] Quantize(SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, IReadOnlyList<float[]> images,
        QuantizationOptions? options = null, IProgress<CalibrationProgress>? progress = null, string calibration = "", string source = "state dict") =>
        Build(config, stateDict, images, options, progress, calibration, source).ToByteArray();

    /// <summary>
    /// Refuses what in <paramref name="options"/> does not fit the network — a keep-float name that matches no
    /// convolution — before any calibration image is read: reading a dataset's annotations takes a while, and the
    /// misspelling would otherwise come after it. <see cref="Quantize"/> checks the same.
    /// </summary>
    /// <exception cref="SsdInputException">A keep-float name or prefix matches no convolution; the message lists the layers.</exception>
    /// <exception cref="WeightsException">The state dict does not fit the configuration.</exception>
    public static void CheckOptions(SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, QuantizationOptions options, string source = "state dict") =>
        _ = QdqPlan.For(OnnxExporter.BuildModel(config, stateDict, options.Validate().Export, source).Graph, options.KeepFloat);

    /// <summary>Writes the quantized model to <paramref name="path"/> (atomically); see <see cref="Quantize"/>.</summary>
    public static void Save(string path, SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, IReadOnlyList<float[]> images,
        QuantizationOptions? options = null, IProgress<CalibrationProgress>? progress = null, string calibration = "", string source = "state dict")
    {
        var model = Build(config, stateDict, images, options, progress, calibration, source);
        AtomicFile.Write(path, model.WriteTo);
    }

    private static ModelProto Build(SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, IReadOnlyList<float[]> images,
        QuantizationOptions? options, IProgress<CalibrationProgress>? progress, string calibration, string source)
    {
        options = (options ?? new QuantizationOptions()).Validate();
        if (images.Count == 0) throw new SsdInputException("calibration: no images");
        var model = OnnxExporter.BuildModel(config, stateDict, options.Export, source);
        var plan = QdqPlan.For(model.Graph, options.KeepFloat);
        var ranges = Calibrator.Ranges(model, plan.CalibratedTensors, plan.ObservedRange, new CheckedImages(images, 3 * config.InputSize * config.InputSize), options, progress);
        QdqRewriter.Apply(model.Graph, plan, ranges, options.Activations);
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = OnnxMetadata.QuantizationKey,
            Value = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["weights"] = "int8, symmetric, per output channel",
                ["activations"] = options.Activations == ActivationType.UInt8 ? "uint8" : "int8",
                ["method"] = MethodName(options.Method),
                ["calibration_images"] = images.Count,
                ["calibration"] = calibration,
                ["int8_convolutions"] = plan.Convs.Count,
                ["float_convolutions"] = model.Graph.Node.Where(n => n.OpType == "Conv" && !plan.Convs.Contains(n.Name)).Select(n => n.Name).ToArray(),
            }),
        });
        return model;
    }

    /// <summary>The name of a method as the command line and the metadata write it.</summary>
    public static string MethodName(CalibrationMethod method) => method switch
    {
        CalibrationMethod.MinMax => "minmax",
        CalibrationMethod.Percentile => "percentile",
        _ => "entropy",
    };

    /// <summary>The images, each checked for the network's input length when read.</summary>
    private sealed class CheckedImages(IReadOnlyList<float[]> images, int length) : IReadOnlyList<float[]>
    {
        public float[] this[int index] => images[index] is { } image && image.Length == length
            ? image
            : throw new SsdInputException($"calibration image {index}: {images[index].Length} values, the network's input has {length}");

        public int Count => images.Count;

        public IEnumerator<float[]> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
