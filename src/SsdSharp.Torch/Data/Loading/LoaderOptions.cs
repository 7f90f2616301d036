using SsdSharp.Data.Augmentation;

namespace SsdSharp.Data.Loading;

/// <summary>How <see cref="TrainingLoader"/> samples, augments and batches.</summary>
public sealed record LoaderOptions
{
    /// <summary>Images per batch (32 in the reference).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Threads that decode and augment ahead of the trainer.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Batches each worker may hold ready; at most about Workers · (Prefetch + 1) batches exist at once.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Seed of the epoch orders and of every sample's augmentation.</summary>
    public long Seed { get; init; }

    /// <summary>The augmentation steps; <see cref="AugmentationOptions.None"/> gives resize and means only.</summary>
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Reference;

    /// <summary>
    /// Difficult (VOC) and crowd (COCO) objects that the dataset kept (<see cref="DatasetReadOptions.KeepDifficult"/>,
    /// <see cref="DatasetReadOptions.KeepCrowd"/>) become regions that training ignores: the default boxes they would
    /// be matched to are neither objects nor background (<see cref="Matching.PriorMatcher"/>). False: kept ones are
    /// trained as objects. The reference reads training data without them, so there they are background.
    /// </summary>
    public bool IgnoreDifficult { get; init; }

    /// <summary>What to do with an image that does not decode.</summary>
    public CorruptImagePolicy CorruptImages { get; init; } = CorruptImagePolicy.Fail;

    /// <summary>Checks the values, naming the first wrong one.</summary>
    /// <exception cref="SsdInputException">A value is out of range.</exception>
    public LoaderOptions Validate()
    {
        if (BatchSize < 1) throw new SsdInputException($"loader: batch size must be at least 1, got {BatchSize}");
        if (Workers < 1) throw new SsdInputException($"loader: workers must be at least 1, got {Workers}");
        if (Prefetch < 1) throw new SsdInputException($"loader: prefetch must be at least 1, got {Prefetch}");
        return this;
    }
}
