using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Preprocessing;
using Tile = (int X, int Y, int Width, int Height);

namespace SsdSharp.Inference;

/// <summary>The tile layout of <see cref="TileOptions"/> and the merging of the tiles' detections in image coordinates.</summary>
internal static class TiledDetection
{
    /// <summary>
    /// Tiles covering a <paramref name="width"/> × <paramref name="height"/> image: rows and columns at a stride of
    /// size·(1 − overlap), the last one moved back to end at the border, so that every tile is whole and inside.
    /// An image side shorter than a tile gives one tile of that side.
    /// </summary>
    public static List<Tile> Layout(int width, int height, TileOptions options)
    {
        var tiles = new List<Tile>();
        foreach (int y in Starts(height, options))
        {
            foreach (int x in Starts(width, options))
                tiles.Add((x, y, Math.Min(options.Size, width), Math.Min(options.Size, height)));
        }
        return tiles;
    }

    private static List<int> Starts(int length, TileOptions options)
    {
        if (length <= options.Size) return [0];
        int stride = Math.Max(1, (int)Math.Round(options.Size * (1 - options.Overlap)));
        var starts = new List<int>();
        for (int start = 0; start + options.Size < length; start += stride) starts.Add(start);
        starts.Add(length - options.Size);
        return starts;
    }

    /// <summary>
    /// Detects the tiles (and the whole image) in batches and merges their detections by NMS in image coordinates.
    /// With the whole image detected too, the tiles' boxes that <see cref="LeftToOtherViews"/> names are left out:
    /// merged with them, tiles of 300 px lost 9 objects of 70–175 px of the synthetic validation split that the whole
    /// image finds, to confident boxes on parts of them.
    /// </summary>
    public static ImageDetections Detect(SsdDetector detector, RgbImage image, string name, TileOptions options)
    {
        var tiles = Layout(image.Width, image.Height, options.Validate());
        bool wholeImage = options.WholeImage && tiles.Count > 1;
        var detections = new List<Detection>();
        int batch = detector.Options.BatchSize;
        for (int start = 0; start < tiles.Count; start += batch)
        {
            var chunk = tiles.Skip(start).Take(batch).ToList();
            var crops = chunk.Select(t => image.Crop(t.X, t.Y, t.Width, t.Height)).ToArray();
            var results = detector.Detect(crops, chunk.Select(_ => name).ToArray());
            foreach (var (tile, result) in chunk.Zip(results))
            {
                detections.AddRange(result.Detections
                    .Select(d => d with { Box = new PixelBox(d.Box.X1 + tile.X, d.Box.Y1 + tile.Y, d.Box.X2 + tile.X, d.Box.Y2 + tile.Y) })
                    .Where(d => !wholeImage || !LeftToOtherViews(d.Box, tile, image.Width, image.Height, options.Overlap, detector.Config)));
            }
        }
        if (wholeImage) detections.AddRange(detector.Detect([image], [name])[0].Detections);
        return new ImageDetections(name, image.Width, image.Height, Merge(detections, detector.Detection));
    }

    /// <summary>
    /// Whether a tile's <paramref name="box"/> (image coordinates) is left to the other views of its object: the
    /// neighbouring tiles and the whole image, which the network sees whole.
    /// <list type="bullet">
    /// <item>A box that reaches an edge the tile shares with another (<see cref="CutAt"/>) is most likely the part
    /// of an object the tile cuts off, scored as confidently as a whole one and with a box too small for it, which would
    /// win the merge against the object's true box. It is left out where another view has more of the object: where
    /// the whole image shows it at least as large as the smallest default box, or where it is narrower across the cut
    /// than the overlap (an object cut by both of two neighbouring tiles shows the overlap and more to at least one of
    /// them, and one that fits the overlap lies whole in one). Otherwise, as for an object of 100 px straddling a seam
    /// of a 2,400 px image (12 px on a 300 px input), the tile's box is all there is, and stays.</item>
    /// <item>A box larger than half the tile is left out where the whole image shows it at least twice the smallest
    /// default box: a tile enlarges what it shows (2× for tiles of 150 px) and cuts the scene around it, and the
    /// network, trained on whole scenes, then sees large objects in plain background (on synthetic images with no
    /// object at all: squares as large as the tile, scored 0.5–0.7).</item>
    /// </list>
    /// </summary>
    public static bool LeftToOtherViews(PixelBox box, Tile tile, int width, int height, double overlap, SsdConfig config)
    {
        double smallest = config.MinSizes[0];
        double sideInWholeImage = Math.Max(box.Width * config.InputSize / width, box.Height * config.InputSize / height);
        var (acrossX, acrossY) = CutAt(box, tile, width, height);
        bool neighbourHasMore = (acrossX && box.Width < overlap * tile.Width) || (acrossY && box.Height < overlap * tile.Height);
        bool largeInTile = Math.Max(box.Width, box.Height) > 0.5 * Math.Max(tile.Width, tile.Height);
        return ((acrossX || acrossY) && (sideInWholeImage >= smallest || neighbourHasMore))
            || (largeInTile && sideInWholeImage >= 2 * smallest);
    }

    /// <summary>
    /// Whether <paramref name="box"/> (image coordinates) reaches a left or right (<c>AcrossX</c>) or a top or bottom
    /// (<c>AcrossY</c>) edge of <paramref name="tile"/> that is not the image's border, to within 2 % of the tile's side
    /// (a cut object's box ends a little short of the cut).
    /// </summary>
    public static (bool AcrossX, bool AcrossY) CutAt(PixelBox box, Tile tile, int width, int height)
    {
        float margin = 0.02f * Math.Max(tile.Width, tile.Height);
        return ((tile.X > 0 && box.X1 <= tile.X + margin) || (tile.X + tile.Width < width && box.X2 >= tile.X + tile.Width - margin),
            (tile.Y > 0 && box.Y1 <= tile.Y + margin) || (tile.Y + tile.Height < height && box.Y2 >= tile.Y + tile.Height - margin));
    }

    /// <summary>
    /// One detection per object from overlapping views: greedy NMS per class (or over all classes) at the
    /// detector's threshold, highest scores first, capped as a single image's detections are.
    /// </summary>
    public static List<Detection> Merge(IEnumerable<Detection> detections, DetectionOptions options)
    {
        var kept = new List<Detection>();
        var groups = options.ClassAgnostic ? detections.GroupBy(_ => 0) : detections.GroupBy(d => d.ClassId);
        foreach (var group in groups)
        {
            var sorted = group.OrderByDescending(d => d.Score).ToArray();
            var boxes = new float[sorted.Length * 4];
            for (int i = 0; i < sorted.Length; i++)
            {
                var b = sorted[i].Box;
                (boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]) = (b.X1, b.Y1, b.X2, b.Y2);
            }
            kept.AddRange(Nms.Greedy(boxes, options.NmsThreshold, sorted.Length).Select(i => sorted[i]));
        }
        var ordered = kept.OrderByDescending(d => d.Score);
        return (options.MaxDetections is { } cap ? ordered.Take(cap) : ordered).ToList();
    }
}
