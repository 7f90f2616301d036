using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SsdSharp.Configuration;
using SsdSharp.Onnx;
using SsdSharp.Weights;

namespace SsdSharp.Inference;

/// <summary>
/// Runs an exported SSD (<see cref="OnnxExporter"/>, or int8 from <see cref="Onnx.Quantization.OnnxQuantizer"/>) on ONNX Runtime's CPU provider: input
/// <c>images</c>, outputs <c>boxes</c> (decoded) and <c>scores</c> (softmax) written straight into the
/// arrays of <see cref="NetworkPredictions"/>. Pre- and post-processing stay the detector's.
/// </summary>
public sealed class OnnxRuntimeBackend : IInferenceBackend
{
    private const string Images = "images", Boxes = "boxes", Scores = "scores";
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int _priors;
    private readonly string _source;

    private OnnxRuntimeBackend(InferenceSession session, SsdConfig config, string source)
    {
        _session = session;
        _source = source;
        Config = config;
        _priors = config.NumPriors;
        Quantization = session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(OnnxMetadata.QuantizationKey);
        Description = $"onnxruntime {Version} {(IsInt8 ? $"int8 ({Int8Summary(Quantization!)})" : "float32")} on cpu ({session.ModelMetadata.ProducerName} export, {Environment.ProcessorCount} threads)";
    }

    /// <summary>The quantization recorded in the model (<see cref="OnnxMetadata.QuantizationKey"/>, JSON), or null for a float model.</summary>
    public string? Quantization { get; }

    /// <summary>Whether the model is an int8 export: reduced precision, run because the user exported and chose it.</summary>
    public bool IsInt8 => Quantization is not null;

    /// <summary>The version of the ONNX Runtime library in use.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Opens an <c>.onnx</c> file; its configuration comes from the metadata SsdSharp writes.</summary>
    /// <param name="path">The model.</param>
    /// <param name="config">
    /// Overrides the configuration of the metadata (same network, e.g. other class names), or supplies
    /// it for a model exported elsewhere with the same inputs and outputs.
    /// </param>
    /// <exception cref="SsdInputException">Not an ONNX model, or one whose inputs, outputs or metadata do not fit; the message names the file.</exception>
    public static OnnxRuntimeBackend Open(string path, SsdConfig? config = null)
    {
        if (!File.Exists(path)) throw new SsdInputException($"{path}: model file not found");
        return Create(path, options => new InferenceSession(path, options), session =>
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            var embedded = metadata.ContainsKey(OnnxMetadata.FormatKey) || config is null ? OnnxMetadata.ReadConfig(metadata, path) : null;
            if (config is not null && embedded is not null) ModelWeights.CheckSameNetwork(config, embedded, path);
            return config ?? embedded!;
        });
    }

    /// <summary>Runs a serialised model of <paramref name="config"/> (e.g. just exported); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="SsdInputException">ONNX Runtime cannot load the model, or its inputs and outputs do not fit <paramref name="config"/>.</exception>
    public static OnnxRuntimeBackend FromModel(byte[] model, SsdConfig config, string source) =>
        Create(source, options => new InferenceSession(model, options), _ => config);

    /// <inheritdoc />
    public SsdConfig Config { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public NetworkPredictions Run(float[] input, int count)
    {
        int size = Config.InputSize, classes = Config.NumClasses;
        if (input.Length != count * 3 * size * size)
            throw new ArgumentException($"{input.Length} input values are not {count} image(s) of 3×{size}×{size}", nameof(input));
        var boxes = new float[count * _priors * 4];
        var scores = new float[count * _priors * classes];
        using var images = OrtValue.CreateTensorValueFromMemory(input, [count, 3, size, size]);
        using var boxesValue = OrtValue.CreateTensorValueFromMemory(boxes, [count, _priors, 4]);
        using var scoresValue = OrtValue.CreateTensorValueFromMemory(scores, [count, _priors, classes]);
        _session.Run(_runOptions, [Images], [images], [Boxes, Scores], [boxesValue, scoresValue]);
        // An .onnx file's weights are not read by SsdSharp (a model file's are, and refused when not finite): damaged ones
        // show here, and no detection may carry a NaN score or box.
        if (!AllFinite(scores) || !AllFinite(boxes))
            throw new WeightsException($"{_source}: the model computes NaN or infinite values; its weights are damaged");
        return new NetworkPredictions(count, _priors, classes, boxes, scores);
    }

    private static bool AllFinite(float[] values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value)) return false;
        }
        return true;
    }

    /// <summary>"entropy-calibrated, uint8 activations" from the quantization metadata.</summary>
    private static string Int8Summary(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var root = document.RootElement;
            return $"{root.GetProperty("method").GetString()}-calibrated, {root.GetProperty("activations").GetString()} activations";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "calibrated";
        }
    }

    /// <summary>Disposes the session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>
    /// Opens a session with threads = the cores .NET sees and every graph optimisation (constant folding,
    /// operator fusion, layout transformation), then checks the model against its configuration.
    /// </summary>
    private static OnnxRuntimeBackend Create(string source, Func<SessionOptions, InferenceSession> open, Func<InferenceSession, SsdConfig> configOf)
    {
        InferenceSession session;
        using (var options = new SessionOptions
        {
            IntraOpNumThreads = Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        })
        {
            try
            {
                session = open(options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new SsdInputException($"{source}: ONNX Runtime cannot load it: {e.Message.Split('\n')[0]}");
            }
        }
        try
        {
            var backend = new OnnxRuntimeBackend(session, configOf(session).Validate(), source);
            backend.CheckSignature(source);
            return backend;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The model must take <c>images</c> [N, 3, S, S] and give <c>boxes</c> [N, P, 4] and <c>scores</c> [N, P, C] of the configuration.</summary>
    private void CheckSignature(string source)
    {
        int size = Config.InputSize;
        Expect(_session.InputMetadata, Images, [-1, 3, size, size]);
        Expect(_session.OutputMetadata, Boxes, [-1, _priors, 4]);
        Expect(_session.OutputMetadata, Scores, [-1, _priors, Config.NumClasses]);

        void Expect(IReadOnlyDictionary<string, NodeMetadata> values, string name, int[] dims)
        {
            if (!values.TryGetValue(name, out var value) || value.ElementDataType != TensorElementType.Float)
                throw new SsdInputException($"{source}: expected a float32 '{name}' among the model's {(ReferenceEquals(values, _session.InputMetadata) ? "inputs" : "outputs")} ({string.Join(", ", values.Keys)})");
            var actual = value.Dimensions;
            // -1 (the batch) matches any size the model declares there, fixed or symbolic.
            if (actual.Length != dims.Length || dims.Where((d, i) => d >= 0 && actual[i] >= 0 && actual[i] != d).Any())
                throw new SsdInputException($"{source}: '{name}' has shape [{string.Join(", ", actual)}], config '{Config.Name}' needs [{string.Join(", ", dims.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
        }
    }
}
