using SsdSharp.Configuration;

namespace SsdSharp.Data.Synthetic;

/// <summary>What <see cref="SyntheticDataset.Generate"/> makes.</summary>
public sealed record SyntheticDatasetOptions
{
    /// <summary>Number of images.</summary>
    public int Images { get; init; } = 1000;

    /// <summary>Seed: the same seed and options give the same dataset.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// Class names, each one of circle, square, triangle, star, hexagon; their order gives the class ids.
    /// Defaults to all five (<see cref="SsdPresets.ShapeClasses"/>).
    /// </summary>
    public IReadOnlyList<string> ClassNames { get; init; } = SsdPresets.ShapeClasses;

    /// <summary>Smallest image side in pixels.</summary>
    public int MinSide { get; init; } = 200;

    /// <summary>Largest image side in pixels.</summary>
    public int MaxSide { get; init; } = 640;

    /// <summary>Most objects in one image (each image has 0 to this many, uniformly).</summary>
    public int MaxObjects { get; init; } = 8;

    /// <summary>
    /// An object is <c>difficult</c> when the shorter side of its visible box, measured after the image is
    /// resized to the network input of <see cref="NetworkInputSize"/> pixels, is below this many pixels
    /// (the shapes cannot be told apart at that size), or when less than half of it is visible.
    /// </summary>
    public double DifficultBelow { get; init; } = 12;

    /// <summary>The network input side the <see cref="DifficultBelow"/> rule and the object sizes refer to.</summary>
    public int NetworkInputSize { get; init; } = 300;

    /// <summary>
    /// Object sizes in image pixels (the side of the shape before stretching, log-uniform between the two); null:
    /// sizes relative to the network input (mostly 30–220 of its pixels, with a tail of small ones). Large images
    /// with small objects test tiled detection.
    /// </summary>
    public (double Min, double Max)? ObjectPixels { get; init; }

    /// <summary>
    /// With sizes relative to the network input: the share of objects drawn from the small tail (8–20 network-input
    /// pixels) instead of 30–220. A training set can hold more of them than the test set, to teach the smallest
    /// non-difficult objects. The default 0.1 makes the datasets of earlier versions.
    /// </summary>
    public double SmallObjectShare { get; init; } = 0.1;

    /// <summary>JPEG quality, 1–100.</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>The shape of each class, in class order.</summary>
    /// <exception cref="SsdInputException">A name is not one of the five shapes, a name repeats, or a number is out of range.</exception>
    public IReadOnlyList<ShapeKind> Validate()
    {
        if (Images < 1) throw new SsdInputException($"images: must be at least 1, got {Images}");
        if (MinSide < 32 || MaxSide < MinSide) throw new SsdInputException($"image sides: need 32 ≤ min ≤ max, got {MinSide}–{MaxSide}");
        if (MaxObjects < 0) throw new SsdInputException($"max objects: must not be negative, got {MaxObjects}");
        if (!(DifficultBelow >= 0 && double.IsFinite(DifficultBelow))) throw new SsdInputException($"difficult-below: must be a finite number, not negative, got {DifficultBelow}");
        if (NetworkInputSize < 32) throw new SsdInputException($"network input size: must be at least 32, got {NetworkInputSize}");
        if (ObjectPixels is var (low, high) && !(low >= 2 && high >= low && high <= MaxSide))
            throw new SsdInputException($"object size: need 2 ≤ min ≤ max ≤ the largest image side ({MaxSide}), got {low}–{high}");
        if (!(SmallObjectShare >= 0 && SmallObjectShare <= 1)) throw new SsdInputException($"small-object share: must be 0–1, got {SmallObjectShare}");
        if (JpegQuality is < 1 or > 100) throw new SsdInputException($"JPEG quality: must be 1–100, got {JpegQuality}");
        if (ClassNames.Count == 0) throw new SsdInputException("classes: at least one is required");
        var kinds = new List<ShapeKind>();
        foreach (var name in ClassNames)
        {
            if (!ShapesByName.TryGetValue(name, out var kind))
                throw new SsdInputException($"classes: unknown shape '{name}'; known shapes: {string.Join(", ", SsdPresets.ShapeClasses)}");
            if (kinds.Contains(kind)) throw new SsdInputException($"classes: '{name}' appears twice");
            kinds.Add(kind);
        }
        return kinds;
    }

    private static readonly Dictionary<string, ShapeKind> ShapesByName =
        Enum.GetValues<ShapeKind>().ToDictionary(k => k.ToString().ToLowerInvariant(), StringComparer.Ordinal);
}
