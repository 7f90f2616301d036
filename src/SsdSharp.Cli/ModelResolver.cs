using SsdSharp.Configuration;
using SsdSharp.Inference;

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
        return SsdDetector.Load(weights ?? BundledModelPath, options, config is null ? null : SsdConfig.Load(config));
    }
}
