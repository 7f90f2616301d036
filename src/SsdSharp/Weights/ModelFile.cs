using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// SsdSharp's own model format: a safetensors file holding the network's state dict with the
/// configuration embedded as JSON metadata, so that a model file is self-describing.
/// </summary>
public static class ModelFile
{
    private const string FormatKey = "format";
    private const string FormatValue = "ssdsharp-model/1";
    private const string ConfigKey = "ssdsharp.config";

    /// <summary>
    /// The format of SsdSharp.Torch's training checkpoints (TrainingCheckpoint): named here so that a checkpoint given where a
    /// model file belongs is refused saying what it is and how to make its model file.
    /// </summary>
    public const string TrainingCheckpointFormat = "ssdsharp-training-checkpoint/1";

    /// <summary>Whether <paramref name="path"/> has the extension of a model file, <c>.safetensors</c> (any case).</summary>
    public static bool HasModelFileExtension(string path) => Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes a state dict and its configuration (atomically).</summary>
    public static void Save(string path, SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict) =>
        SafeTensors.Save(path, stateDict, new Dictionary<string, string>
        {
            [FormatKey] = FormatValue,
            [ConfigKey] = config.ToJson(),
        });

    /// <summary>The configuration embedded in a model file and its state dict.</summary>
    /// <exception cref="WeightsException">Missing, not safetensors, or without SsdSharp's metadata; names the file.</exception>
    public static (SsdConfig Config, Dictionary<string, HostTensor> StateDict) Load(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: file not found");
        Dictionary<string, HostTensor> tensors;
        Dictionary<string, string> metadata;
        try
        {
            (tensors, metadata) = SafeTensors.Load(path);
        }
        catch (WeightsException e)
        {
            throw new WeightsException($"{e.Message} (expected an SsdSharp model file; import PyTorch checkpoints with `ssd convert`)", e);
        }
        return From(path, tensors, metadata);
    }

    /// <summary>The configuration and state dict of a safetensors file already read (<see cref="SafeTensors.Load(string)"/>) that should be a model file.</summary>
    /// <exception cref="WeightsException">Without SsdSharp's metadata; names the file.</exception>
    public static (SsdConfig Config, Dictionary<string, HostTensor> StateDict) From(string path, Dictionary<string, HostTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.GetValueOrDefault(FormatKey) == TrainingCheckpointFormat)
            throw new WeightsException($"{path}: a training checkpoint, not a model file; `ssd convert --from {path} --output MODEL` makes its model file");
        if (!metadata.TryGetValue(FormatKey, out var format) || format != FormatValue || !metadata.TryGetValue(ConfigKey, out var json))
            throw new WeightsException($"{path}: a safetensors file without SsdSharp model metadata ('{FormatKey}': '{FormatValue}' and '{ConfigKey}')");
        return (SsdConfig.FromJson(json, $"{path} (embedded config)"), tensors);
    }
}
