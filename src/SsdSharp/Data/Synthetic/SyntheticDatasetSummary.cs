namespace SsdSharp.Data.Synthetic;

/// <summary>What <see cref="SyntheticDataset.Generate"/> wrote.</summary>
/// <param name="Directory">The dataset root: a VOC root, with <c>instances_{split}.json</c> beside <c>Annotations/</c>.</param>
/// <param name="ClassNames">Class names in id order.</param>
/// <param name="Images">Images written.</param>
/// <param name="ImagesPerSplit">Image count of each split: train, val, test, trainval.</param>
/// <param name="ObjectsPerClass">Objects of each class (difficult ones included), in class order.</param>
/// <param name="Difficult">Objects marked difficult.</param>
public sealed record SyntheticDatasetSummary(string Directory, IReadOnlyList<string> ClassNames, int Images,
    IReadOnlyDictionary<string, int> ImagesPerSplit, IReadOnlyList<int> ObjectsPerClass, int Difficult)
{
    /// <summary>The <c>--data</c> spec that reads a split through the VOC reader.</summary>
    public string VocSpec => $"VOC:{Directory}";

    /// <summary>The <c>--data</c> spec that reads <paramref name="split"/> through the COCO reader.</summary>
    public string CocoSpec(string split) => $"COCO:{Path.Combine(Directory, $"instances_{split}.json")}";
}
