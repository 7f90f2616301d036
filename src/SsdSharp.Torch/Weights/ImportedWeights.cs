using System.Text.RegularExpressions;
using SsdSharp.Configuration;
using SsdSharp.Modeling;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>
/// The weights of any file SsdSharp builds a network from — its own model files, ssd.pytorch checkpoints
/// and torchvision's SSD300 checkpoints (float32 or float16), told apart by extension and keys — as a
/// state dict under <see cref="SsdNetwork"/>'s parameter names, with the configuration when the file
/// implies one. Owns its tensors.
/// </summary>
public sealed partial class ImportedWeights : IDisposable
{
    private const string DataParallelPrefix = "module.";

    private ImportedWeights(string path, WeightsFormat format, SsdConfig? config, Dictionary<string, Tensor> stateDict)
    {
        Path = path;
        Format = format;
        Config = config;
        StateDict = stateDict;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What kind of file it is.</summary>
    public WeightsFormat Format { get; }

    /// <summary>The configuration the file implies (embedded in a model file; torchvision300 with the head's classes); null for ssd.pytorch.</summary>
    public SsdConfig? Config { get; }

    /// <summary>Parameters and buffers under <see cref="SsdNetwork"/>'s names, in their stored dtype, on the CPU.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }

    /// <summary>Reads a model file or a PyTorch checkpoint.</summary>
    /// <exception cref="WeightsException">The file is missing or unreadable, a VGG base rather than a detector, or a torchvision checkpoint with keys of another model.</exception>
    public static ImportedWeights Read(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: weights file not found");
        if (!ModelWeights.IsPyTorchCheckpoint(path))
        {
            var (embedded, host) = ModelFile.Load(path);
            return new ImportedWeights(path, WeightsFormat.ModelFile, embedded, host.ToDictionary(kv => kv.Key, kv => HostTensors.ToTorch(kv.Value)));
        }
        var raw = PyTorchCheckpoint.Load(path);
        try
        {
            if (TorchvisionWeights.Recognises(raw.Keys))
                return new ImportedWeights(path, WeightsFormat.Torchvision, TorchvisionWeights.ConfigOf(raw, path), TorchvisionWeights.ToNetworkNames(raw, path));
            if (raw.Count > 0 && raw.Keys.All(k => VggBaseKey().IsMatch(k)))
                throw new WeightsException($"{path}: an ImageNet VGG base (keys 0.weight, 0.bias, …), not a detector; it starts a training run with `ssd train --base`");
            // DataParallel saves keys with a "module." prefix.
            return new ImportedWeights(path, WeightsFormat.SsdPytorch, null, raw.ToDictionary(
                kv => kv.Key.StartsWith(DataParallelPrefix, StringComparison.Ordinal) ? kv.Key[DataParallelPrefix.Length..] : kv.Key, kv => kv.Value));
        }
        catch
        {
            foreach (var t in raw.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="path"/> and builds its network; see <see cref="ToNetwork"/>.</summary>
    public static SsdNetwork LoadNetwork(string path, SsdConfig? config = null)
    {
        using var weights = Read(path);
        return weights.ToNetwork(config);
    }

    /// <summary>
    /// The configuration to build the network with: <paramref name="config"/> when given (for a model file
    /// it must describe the same network, e.g. with other class names; for a torchvision checkpoint it must
    /// keep torchvision's conventions), else the file's own.
    /// </summary>
    /// <exception cref="WeightsException">An ssd.pytorch checkpoint without a configuration, or a configuration that does not go with a torchvision checkpoint or describes another network than a model file's.</exception>
    public SsdConfig ConfigFor(SsdConfig? config)
    {
        if (config is not null)
        {
            if (Format == WeightsFormat.Torchvision) TorchvisionWeights.CheckConventions(config, Path);
            if (Format == WeightsFormat.ModelFile) ModelWeights.CheckSameNetwork(config, Config!, Path);
            return config;
        }
        return Config ?? throw new WeightsException($"{Path}: an ssd.pytorch checkpoint needs a configuration (--config voc300, coco300, … or a JSON file)");
    }

    /// <summary>A network of <see cref="ConfigFor"/>(<paramref name="config"/>) holding exactly these weights (strict: nothing missing, left over or mis-shaped).</summary>
    /// <exception cref="WeightsException">The weights do not fit; names the class counts or the keys and shapes.</exception>
    public SsdNetwork ToNetwork(SsdConfig? config = null)
    {
        var target = ConfigFor(config);
        CheckClassCount(target);
        return StateDictLoader.NetworkOf(target, StateDict, Path);
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in StateDict.Values) t.Dispose();
    }

    // The most common mismatch, a checkpoint of another class count, named in words rather than as shapes.
    private void CheckClassCount(SsdConfig config)
    {
        if (!StateDict.TryGetValue("conf.0.weight", out var conf0)) return;
        int perLocation = config.BoxesPerLocation[0];
        long channels = conf0.shape[0];
        if (channels % perLocation == 0 && channels / perLocation != config.NumClasses)
            throw new WeightsException($"{Path}: the checkpoint has {channels / perLocation} classes (with background), config '{config.Name}' has {config.NumClasses}; pass a config with {channels / perLocation - 1} class names");
    }

    [GeneratedRegex(@"^\d+\.(weight|bias)$")]
    private static partial Regex VggBaseKey();
}
