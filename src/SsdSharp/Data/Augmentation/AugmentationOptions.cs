namespace SsdSharp.Data.Augmentation;

/// <summary>
/// Which training augmentations run, with their parameters; a null step is switched off. The defaults
/// are the reference's (SPEC §6); <see cref="None"/> leaves only resize and means (the evaluation transform).
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Step 1, photometric distortion.</summary>
    public PhotometricDistort? Photometric { get; init; } = new();

    /// <summary>Step 2, zoom out on a canvas of the mean colour.</summary>
    public Expand? Expand { get; init; } = new();

    /// <summary>Step 3, the IoU-constrained random crop.</summary>
    public RandomIouCrop? Crop { get; init; } = new();

    /// <summary>Step 4, horizontal mirror.</summary>
    public HorizontalMirror? Mirror { get; init; } = new();

    /// <summary>The reference's full training augmentation.</summary>
    public static AugmentationOptions Reference { get; } = new();

    /// <summary>No augmentation: resize and means only.</summary>
    public static AugmentationOptions None { get; } = new() { Photometric = null, Expand = null, Crop = null, Mirror = null };
}
