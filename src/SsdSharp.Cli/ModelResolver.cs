using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Weights;

namespace SsdSharp.Cli;

/// <summary>Finds the model a command should use: the given weights, or the model bundled with SsdSharp.</summary>
internal static class ModelResolver
{
    /// <summary>
    /// The models copied beside the executable (<c>models/NAME.safetensors</c>): shapes300, the default, and
    /// shapes512, the same network fine-tuned on a 512-pixel input for small objects (docs/training.md).
    /// </summary>
    public static IReadOnlyList<string> BundledModels { get; } = ["shapes300", "shapes512"];

    /// <summary>Path of the default bundled model beside the executable.</summary>
    public static string BundledModelPath => PathOf(BundledModels[0]);

    /// <summary>
    /// The path of the bundled model called <paramref name="name"/> (any case, as presets), whether or not the
    /// file is there; null when no bundled model has that name.
    /// </summary>
    public static string? BundledModelPathOf(string name) =>
        BundledModels.FirstOrDefault(m => m.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } known ? PathOf(known) : null;

    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "models", name + ".safetensors");

    /// <summary>
    /// What a damaged install is told when the bundled model file <paramref name="path"/> is not beside the executable,
    /// whether it was named or taken as the default: one wording, with the cure.
    /// </summary>
    public static string MissingBundledModel(string path) =>
        $"the bundled model {Path.GetFileNameWithoutExtension(path)} is missing at {path} (reinstall ssd)";

    /// <summary>
    /// A detector for <paramref name="weights"/> (an SsdSharp model, a torchvision SSD300 <c>.pth</c>, or an
    /// ssd.pytorch <c>.pth</c> with <paramref name="config"/>), or for the bundled model when <paramref name="weights"/> is null.
    /// </summary>
    public static SsdDetector CreateDetector(string? weights, string? config, DetectorOptions options)
    {
        if (weights is null && !File.Exists(BundledModelPath))
            throw new SsdInputException($"no --weights given: {MissingBundledModel(BundledModelPath)}");
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
        return ModelFile.HasModelFileExtension(nameOrPath)
            ? ModelFile.Load(nameOrPath).Config
            : SsdConfig.Load(nameOrPath);
    }
}
