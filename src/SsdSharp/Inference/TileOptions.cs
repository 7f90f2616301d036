namespace SsdSharp.Inference;

/// <summary>
/// Tiled inference for large images (<see cref="SsdDetector.DetectTiled"/>): the image is cut into overlapping
/// square tiles, each detected at the network's resolution, so that objects too small to survive the whole
/// image's shrinking to the network input are seen at (nearly) full size.
/// </summary>
public sealed record TileOptions
{
    /// <summary>The side of a tile in image pixels (the network's input size, 300 for SSD300, keeps tiles unscaled).</summary>
    public int Size { get; init; } = 300;

    /// <summary>The fraction of a tile's side that neighbouring tiles share (so that an object cut by one tile's edge lies whole in the next).</summary>
    public double Overlap { get; init; } = 0.2;

    /// <summary>
    /// Whether the whole image, shrunk to the network input as without tiling, is detected too (for objects larger than
    /// a tile). With it, a tile's boxes that another view shows better — cut at the tile's inner edges, or large — are
    /// left to that view (<see cref="SsdDetector.DetectTiled"/>); without it every tile's box is merged.
    /// </summary>
    public bool WholeImage { get; init; } = true;

    /// <summary>The smallest tile: smaller ones are mostly enlargement, at a forward pass each.</summary>
    public const int MinSize = 32;

    /// <summary>
    /// The largest <see cref="Overlap"/>: a tenth of each tile new. More only multiplies the work (at 0.99, 32-pixel tiles
    /// step by one pixel: twelve million tiles of a 12-megapixel photograph) without showing an object whole that 0.9 cuts.
    /// </summary>
    public const double MaxOverlap = 0.9;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="SsdInputException">A value is out of range.</exception>
    public TileOptions Validate()
    {
        if (Size < MinSize) throw new SsdInputException($"tile size: must be at least {MinSize} pixels, got {Size}");
        if (!(Overlap is >= 0 and <= MaxOverlap)) throw new SsdInputException($"tile overlap: must be in [0, {MaxOverlap}], got {Overlap}");
        return this;
    }
}
