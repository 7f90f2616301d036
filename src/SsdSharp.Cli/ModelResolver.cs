using SsdSharp.Configuration;
using SsdSharp.Inference;
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
    /// A detector for <paramref name="weights"/> (an SsdSharp model, or an ssd.pytorch <c>.pth</c> with
    /// <paramref name="config"/>), or for the bundled model when <paramref name="weights"/> is null.
    /// </summary>
    public static SsdDetector CreateDetector(string? weights, string? config, DetectorOptions options)
    {
        var path = weights ?? BundledModelPath;
        if (weights is null && !File.Exists(path))
            throw new SsdInputException($"no --weights given and the bundled model is missing at {path}");
        if (!File.Exists(path)) throw new SsdInputException($"{path}: weights file not found");
        if (Path.GetExtension(path).Equals(".pth", StringComparison.OrdinalIgnoreCase))
        {
            if (config is null) throw new SsdInputException($"{path}: a PyTorch checkpoint needs --config (voc300, coco300, … or a JSON file)");
            return new SsdDetector(ReferenceWeights.LoadSsd(path, SsdConfig.Load(config)), options);
        }
        return SsdDetector.Load(path, options, config is null ? null : SsdConfig.Load(config));
    }
}
