using System.Security.Cryptography;
using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// The configuration and state dict of any weights file SsdSharp reads: its own model files
/// (<see cref="ModelFile"/>) and PyTorch checkpoints (<c>.pth</c>: ssd.pytorch's, which need a configuration,
/// and torchvision's SSD300, which imply theirs; imported by SsdSharp.Torch when it is deployed beside the core).
/// </summary>
public static class ModelWeights
{
    private const string PyTorchImporterType = "SsdSharp.Weights.PyTorchCheckpointImporter, SsdSharp.Torch";

    /// <summary>Whether <paramref name="path"/> names a PyTorch checkpoint (<c>.pth</c> or <c>.pt</c>) rather than a model file.</summary>
    public static bool IsPyTorchCheckpoint(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pth" or ".pt";

    /// <summary>The configuration and weights of <paramref name="path"/>.</summary>
    /// <param name="path">A model file or a <c>.pth</c> checkpoint.</param>
    /// <param name="config">Required for an ssd.pytorch checkpoint; otherwise it overrides the file's configuration (same network, e.g. other class names).</param>
    /// <exception cref="SsdInputException">The file cannot be used, an ssd.pytorch checkpoint comes without a configuration, or a checkpoint without SsdSharp.Torch.</exception>
    public static (SsdConfig Config, Dictionary<string, HostTensor> StateDict) Load(string path, SsdConfig? config)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: weights file not found");
        if (!IsPyTorchCheckpoint(path))
        {
            var (embedded, stateDict) = ModelFile.Load(path);
            if (config is not null) CheckSameNetwork(config, embedded, path);
            return (config ?? embedded, stateDict);
        }
        if (Type.GetType(PyTorchImporterType, throwOnError: false) is not { } type)
            throw new SsdInputException($"{path}: importing a PyTorch checkpoint needs SsdSharp.Torch (libtorch); convert it once with `ssd convert` or `ssd export`");
        return ((ICheckpointImporter)Activator.CreateInstance(type)!).Import(path, config);
    }

    /// <summary>
    /// Refuses a configuration <paramref name="given"/> to override the one a model file embeds when it describes another
    /// network (input size, default boxes or classes): the weights would not fit, and the message should name the
    /// configuration, not blame the file.
    /// </summary>
    /// <exception cref="WeightsException">Naming the file, its network and the configuration's.</exception>
    public static void CheckSameNetwork(SsdConfig given, SsdConfig embedded, string path)
    {
        // Class counts as names are given (without background), as a configuration lists them.
        if (given.InputSize != embedded.InputSize || given.NumPriors != embedded.NumPriors || given.NumClasses != embedded.NumClasses)
            throw new WeightsException($"{path}: the model is {embedded.Name} ({embedded.InputSize} px, {embedded.NumPriors} default boxes, {embedded.ClassNames.Count} class names); " +
                                       $"config '{given.Name}' describes another network ({given.InputSize} px, {given.NumPriors} default boxes, {given.ClassNames.Count} class names); " +
                                       $"expected a configuration of the same network ({embedded.ClassNames.Count} class names), or none");
    }

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
