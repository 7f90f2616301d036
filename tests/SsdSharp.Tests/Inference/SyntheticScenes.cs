using SsdSharp.Data;
using SsdSharp.Data.Synthetic;

namespace SsdSharp.Tests.Inference;

/// <summary>Synthetic images with their true boxes, for the tests that score a trained model's detections.</summary>
internal static class SyntheticScenes
{
    /// <summary>
    /// A synthetic set written into <paramref name="folder"/>, all its images (both splits) with their objects;
    /// difficult objects count as objects here: a confident box on one is not a false one.
    /// </summary>
    public static ImageAnnotation[] Generate(string folder, SyntheticDatasetOptions options)
    {
        SyntheticDataset.Generate(folder, options);
        return
        [
            .. new[] { "trainval", "test" }
                .SelectMany(split => VocReader.Read([folder], new DatasetReadOptions { Split = split, KeepDifficult = true }).Images),
        ];
    }
}
