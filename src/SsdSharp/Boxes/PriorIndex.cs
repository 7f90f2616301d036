using SsdSharp.Configuration;

namespace SsdSharp.Boxes;

/// <summary>Where one default box sits: its source feature map, cell and shape.</summary>
/// <param name="Source">Source feature map, 0 for the first (conv4_3 in SSD300).</param>
/// <param name="Row">Row of the cell in that map.</param>
/// <param name="Column">Column of the cell.</param>
/// <param name="Box">Shape within the cell: 0 the box of side s, 1 the extra square s', then r and 1/r per aspect ratio.</param>
public readonly record struct PriorLocation(int Source, int Row, int Column, int Box);

/// <summary>
/// The index ranges of the default boxes (SPEC §2): the priors are ordered by source, row, column, then box,
/// so that each source owns one contiguous range and a prior index alone says which source map, cell and
/// shape produced a prediction.
/// </summary>
public sealed class PriorIndex
{
    private readonly int[] _starts;

    private PriorIndex(IReadOnlyList<int> featureMaps, IReadOnlyList<int> boxesPerLocation)
    {
        FeatureMaps = featureMaps;
        BoxesPerLocation = boxesPerLocation;
        _starts = new int[featureMaps.Count + 1];
        for (int k = 0; k < featureMaps.Count; k++)
            _starts[k + 1] = _starts[k] + featureMaps[k] * featureMaps[k] * boxesPerLocation[k];
    }

    /// <summary>The index of <paramref name="config"/>'s default boxes.</summary>
    public static PriorIndex For(SsdConfig config) => new(config.FeatureMaps, config.BoxesPerLocation);

    /// <summary>Side of each source feature map.</summary>
    public IReadOnlyList<int> FeatureMaps { get; }

    /// <summary>Default boxes per location of each source.</summary>
    public IReadOnlyList<int> BoxesPerLocation { get; }

    /// <summary>Number of sources.</summary>
    public int Sources => FeatureMaps.Count;

    /// <summary>Number of default boxes, P.</summary>
    public int Count => _starts[^1];

    /// <summary>Index of the first default box of source <paramref name="source"/>.</summary>
    public int Start(int source) => _starts[source];

    /// <summary>Number of default boxes of source <paramref name="source"/>: side² · boxes per location.</summary>
    public int CountOf(int source) => _starts[source + 1] - _starts[source];

    /// <summary>The source whose range holds <paramref name="prior"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in 0…P − 1.</exception>
    public int SourceOf(int prior)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prior);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(prior, Count);
        int found = Array.BinarySearch(_starts, prior);
        // An exact hit is the start of a range; otherwise the complement is the next start's position.
        // Empty ranges cannot occur (sides and boxes per location are positive), so the hit is unique.
        return found >= 0 ? found : ~found - 1;
    }

    /// <summary>Source, cell and shape of <paramref name="prior"/>.</summary>
    public PriorLocation Locate(int prior)
    {
        int k = SourceOf(prior);
        int offset = prior - _starts[k], boxes = BoxesPerLocation[k];
        int cell = offset / boxes;
        return new PriorLocation(k, cell / FeatureMaps[k], cell % FeatureMaps[k], offset % boxes);
    }

    /// <summary>The index of the default box at <paramref name="location"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A part is outside the configuration's sources, cells or shapes.</exception>
    public int IndexOf(PriorLocation location)
    {
        var (k, row, column, box) = location;
        ArgumentOutOfRangeException.ThrowIfNegative(k, nameof(location));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Sources, nameof(location));
        int side = FeatureMaps[k];
        if (row < 0 || row >= side || column < 0 || column >= side || box < 0 || box >= BoxesPerLocation[k])
            throw new ArgumentOutOfRangeException(nameof(location), location, $"source {k} has {side}×{side} cells of {BoxesPerLocation[k]} boxes");
        return _starts[k] + (row * side + column) * BoxesPerLocation[k] + box;
    }
}
