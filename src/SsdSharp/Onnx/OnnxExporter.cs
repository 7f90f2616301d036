using Google.Protobuf;
using Onnx;
using SsdSharp.Configuration;
using SsdSharp.IO;
using SsdSharp.Preprocessing;
using SsdSharp.Weights;

namespace SsdSharp.Onnx;

/// <summary>
/// Writes an SSD as an ONNX model from its configuration and state dict (host tensors, the keys of
/// SPEC §1), without libtorch: input <c>images</c> <c>[N, 3, S, S]</c> float32 preprocessed as SPEC §1
/// (N dynamic); outputs <c>boxes</c> <c>[N, P, 4]</c> (decoded with the configuration's coder, normalised x1 y1 x2 y2) and
/// <c>scores</c> <c>[N, P, C]</c> (softmax), the default boxes stored in the graph; optionally
/// <c>detections</c> (<see cref="OnnxExportOptions.WithNms"/>). <see cref="OnnxMetadata"/> describes the
/// rest, so that the file is all a consumer needs.
/// </summary>
/// <example>
/// <code>
/// var (config, stateDict) = ModelFile.Load("model.safetensors");
/// OnnxExporter.Save("model.onnx", config, stateDict);
/// </code>
/// </example>
public static class OnnxExporter
{
    /// <summary>Whether <paramref name="path"/> names an ONNX model (<c>.onnx</c>).</summary>
    public static bool IsOnnxFile(string path) => Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>The serialised model.</summary>
    /// <param name="config">The network's configuration.</param>
    /// <param name="stateDict">Its weights, keys as the reference's state dict (float32, float16, bfloat16 or float64).</param>
    /// <param name="options">Opset, NMS, batch-norm folding, post-processing defaults.</param>
    /// <param name="source">Where the weights came from, for error messages.</param>
    /// <exception cref="WeightsException">The state dict does not fit the configuration; lists the keys.</exception>
    /// <exception cref="SsdInputException">Invalid options or configuration.</exception>
    public static byte[] Export(SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, OnnxExportOptions? options = null,
        string source = "state dict") => BuildModel(config, stateDict, options, source).ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/> (atomically); see <see cref="Export"/>.</summary>
    public static void Save(string path, SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, OnnxExportOptions? options = null,
        string source = "state dict")
    {
        var model = BuildModel(config, stateDict, options, source);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>The model as ONNX protobuf objects, for <see cref="Quantization.OnnxQuantizer"/> to rewrite.</summary>
    internal static ModelProto BuildModel(SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, OnnxExportOptions? options, string source)
    {
        options = (options ?? new OnnxExportOptions()).Validate();
        config.Validate();
        var postProcessing = options.PostProcessingFor(config);
        var g = new GraphBuilder();
        var weights = new StateDictReader(stateDict, source);
        SsdGraph.Build(g, config, weights, options.FoldBatchNorm);
        weights.ThrowOnProblems();

        var graph = g.Graph;
        graph.Name = config.Name;
        int size = config.InputSize, priors = config.NumPriors, classes = config.NumClasses;
        graph.Input.Add(GraphBuilder.FloatValue(SsdGraph.Images,
            $"[N, 3, {size}, {size}] float32: {NetworkInputFormat.From(config).Description}", "N", 3, size, size));
        graph.Output.Add(GraphBuilder.FloatValue(SsdGraph.Boxes,
            $"[N, P, 4] decoded boxes (x1, y1, x2, y2), normalised to [0, 1], {(config.ClipDecodedBoxes ? "clipped" : "unclipped")}", "N", priors, 4));
        graph.Output.Add(GraphBuilder.FloatValue(SsdGraph.Scores, "[N, P, C] softmax class probabilities, class 0 the background", "N", priors, classes));
        if (options.WithNms)
        {
            NmsGraph.Build(g, priors, classes, postProcessing);
            graph.Output.Add(GraphBuilder.FloatValue(NmsGraph.Detections,
                "[M, 7] detections (image index, class id, score, x1, y1, x2, y2), per image and class by descending score", "M", 7));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersionOf(options.Opset),
            ProducerName = "SsdSharp",
            ProducerVersion = LibraryVersion.Release,
            DocString = $"SSD ({config.Name}, {size}x{size}, {classes} classes with background) exported by SsdSharp",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in OnnxMetadata.For(config, postProcessing))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    // The IR version released with each operator set (ONNX's versioning table): runtimes and
    // checkers of that release accept the pair.
    private static long IrVersionOf(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
