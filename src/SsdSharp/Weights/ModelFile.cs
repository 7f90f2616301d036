using SsdSharp.Configuration;
using SsdSharp.Modeling;
using static TorchSharp.torch;

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

    /// <summary>Writes the network and its configuration (atomically).</summary>
    public static void Save(SsdNetwork network, string path)
    {
        var tensors = network.state_dict().Where(kv => !kv.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        SafeTensors.Save(path, tensors, new Dictionary<string, string>
        {
            [FormatKey] = FormatValue,
            [ConfigKey] = network.Config.ToJson(),
        });
    }

    /// <summary>Reads the configuration embedded in a model file.</summary>
    public static SsdConfig ReadConfig(string path) => Read(path).Config;

    /// <summary>Builds the network described by a model file and loads its weights.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="config">Overrides the embedded configuration, e.g. to rename classes; it must describe the same network.</param>
    public static SsdNetwork Load(string path, SsdConfig? config = null)
    {
        var (embedded, tensors) = Read(path);
        try
        {
            var network = new SsdNetwork(config ?? embedded);
            StateDictLoader.Load(network, tensors, path);
            return network;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static (SsdConfig Config, Dictionary<string, Tensor> Tensors) Read(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: file not found");
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        try
        {
            (tensors, metadata) = SafeTensors.Load(path);
        }
        catch (WeightsException e)
        {
            throw new WeightsException($"{e.Message} (expected an SsdSharp model file; import PyTorch checkpoints with `ssd convert`)", e);
        }
        try
        {
            if (!metadata.TryGetValue(FormatKey, out var format) || format != FormatValue || !metadata.TryGetValue(ConfigKey, out var json))
                throw new WeightsException($"{path}: a safetensors file without SsdSharp model metadata ('{FormatKey}': '{FormatValue}' and '{ConfigKey}')");
            return (SsdConfig.FromJson(json, $"{path} (embedded config)"), tensors);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }
}
