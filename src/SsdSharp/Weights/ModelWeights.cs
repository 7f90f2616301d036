using System.Security.Cryptography;
using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// The configuration and state dict of any weights file SsdSharp reads: its own model files
/// (<see cref="ModelFile"/>) and ssd.pytorch checkpoints (<c>.pth</c>, imported by SsdSharp.Torch when it
/// is deployed beside the core).
/// </summary>
public static class ModelWeights
{
    private const string PyTorchImporterType = "SsdSharp.Weights.ReferenceCheckpointImporter, SsdSharp.Torch";

    /// <summary>Whether <paramref name="path"/> names a PyTorch checkpoint (<c>.pth</c> or <c>.pt</c>), which needs a configuration.</summary>
    public static bool IsPyTorchCheckpoint(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pth" or ".pt";

    /// <summary>The configuration and weights of <paramref name="path"/>.</summary>
    /// <param name="path">A model file or a <c>.pth</c> checkpoint.</param>
    /// <param name="config">Required for a checkpoint; for a model file it overrides the embedded configuration (same network, e.g. other class names).</param>
    /// <exception cref="SsdInputException">The file cannot be used, or a checkpoint comes without a configuration or without SsdSharp.Torch.</exception>
    public static (SsdConfig Config, Dictionary<string, HostTensor> StateDict) Load(string path, SsdConfig? config)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: weights file not found");
        if (!IsPyTorchCheckpoint(path))
        {
            var (embedded, stateDict) = ModelFile.Load(path);
            return (config ?? embedded, stateDict);
        }
        config = CheckpointConfig(path, config);
        if (Type.GetType(PyTorchImporterType, throwOnError: false) is not { } type)
            throw new SsdInputException($"{path}: importing a PyTorch checkpoint needs SsdSharp.Torch (libtorch); convert it once with `ssd convert` or `ssd export`");
        return (config, ((ICheckpointImporter)Activator.CreateInstance(type)!).Import(path, config));
    }

    /// <summary>The configuration a checkpoint is read with: <paramref name="config"/>, which a checkpoint cannot do without.</summary>
    /// <exception cref="SsdInputException"><paramref name="config"/> is null; the message names the file.</exception>
    public static SsdConfig CheckpointConfig(string path, SsdConfig? config) =>
        config ?? throw new SsdInputException($"{path}: a PyTorch checkpoint needs a configuration (--config voc300, coco300, … or a JSON file)");

    /// <summary>
    /// A key for what <paramref name="path"/> holds: SHA-256 of its bytes, and of <paramref name="config"/>
    /// when one is given (it changes what the file means), as lowercase hex.
    /// </summary>
    public static string Hash(string path, SsdConfig? config)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = File.OpenRead(path))
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        if (config is not null) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(config.ToJson()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
