using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Weights;

namespace SsdSharp.Cli;

/// <summary>Finds the model a command should use: the given weights, or the model bundled with SsdSharp.</summary>
internal static class ModelResolver
{
    /// <summary>File name of the bundled model, copied beside the executable.</summary>
    public const string BundledModelName = "shapes300.safetensors";

    /// <summary>Path of the bundled model beside the executable.</summary>
    public static string BundledModelPath => Path.Combine(AppContext.BaseDirectory, "models", BundledModelName);

    /// <summary>
    /// A detector for <paramref name="weights"/> (an SsdSharp model, a torchvision SSD300 <c>.pth</c>, or an
    /// ssd.pytorch <c>.pth</c> with <paramref name="config"/>), or for the bundled model when <paramref name="weights"/> is null.
    /// </summary>
    public static SsdDetector CreateDetector(string? weights, string? config, DetectorOptions options)
    {
        if (weights is null && !File.Exists(BundledModelPath))
            throw new SsdInputException($"no --weights given and the bundled model is missing at {BundledModelPath}");
        if (weights != null) InputFile.CheckReadable(weights, "a model file");
        return SsdDetector.Load(weights ?? BundledModelPath, options, config is null ? null : LoadConfig(config));
    }

    /// <summary>
    /// The configuration named by <c>--config</c>: a preset, a configuration JSON file, or an SsdSharp model
    /// file (<c>.safetensors</c>, whose embedded configuration is taken). The file is checked first (a FIFO
    /// is refused, not waited on).
    /// </summary>
    public static SsdConfig LoadConfig(string nameOrPath)
    {
        if (SsdPresets.TryGet(nameOrPath, out var preset)) return preset;
        InputFile.CheckReadable(nameOrPath, "a preset name, a configuration JSON file or a model file");
        return Path.GetExtension(nameOrPath).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? ModelFile.Load(nameOrPath).Config
            : SsdConfig.Load(nameOrPath);
    }
}
