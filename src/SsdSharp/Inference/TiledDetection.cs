using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Preprocessing;

namespace SsdSharp.Inference;

/// <summary>The tile layout of <see cref="TileOptions"/> and the merging of the tiles' detections in image coordinates.</summary>
internal static class TiledDetection
{
    /// <summary>
    /// Tiles covering a <paramref name="width"/> × <paramref name="height"/> image: rows and columns at a stride of
    /// size·(1 − overlap), the last one moved back to end at the border, so that every tile is whole and inside.
    /// An image side shorter than a tile gives one tile of that side.
    /// </summary>
    public static List<(int X, int Y, int Width, int Height)> Layout(int width, int height, TileOptions options)
    {
        var tiles = new List<(int, int, int, int)>();
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
    /// With the whole image detected too, a tile's box is left out where it reaches one of the tile's inner edges
    /// (<see cref="CutByInnerEdge"/>) or where the whole image shows its object well (<see cref="BetterSeenWhole"/>):
    /// merged without these two rules, tiles of 300 px lost 9 objects of 70–175 px of the synthetic validation split
    /// that the whole image finds, to confident boxes on parts of them.
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
            for (int i = 0; i < chunk.Count; i++)
            {
                var (x, y, _, _) = chunk[i];
                detections.AddRange(results[i].Detections
                    .Select(d => d with { Box = new PixelBox(d.Box.X1 + x, d.Box.Y1 + y, d.Box.X2 + x, d.Box.Y2 + y) })
                    .Where(d => !wholeImage || (!CutByInnerEdge(d.Box, chunk[i], image.Width, image.Height)
                        && !BetterSeenWhole(d.Box, chunk[i], image.Width, image.Height, detector.Config))));
            }
        }
        if (wholeImage) detections.AddRange(detector.Detect([image], [name])[0].Detections);
        return new ImageDetections(name, image.Width, image.Height, Merge(detections, detector.Detection));
    }

    /// <summary>
    /// Whether <paramref name="box"/> (image coordinates) reaches an edge of <paramref name="tile"/> that is not the
    /// image's border, to within 2 % of the tile's side. Such a box is most likely the part of an object the tile cuts
    /// off, scored as confidently as a whole one and with a box too small for it: kept, it can win the merge against
    /// the object's true box. An object small enough to fit the overlap lies whole in the neighbouring tile, a larger
    /// one in the whole image.
    /// </summary>
    public static bool CutByInnerEdge(PixelBox box, (int X, int Y, int Width, int Height) tile, int width, int height)
    {
        float margin = 0.02f * Math.Max(tile.Width, tile.Height);
        return (tile.X > 0 && box.X1 <= tile.X + margin)
            || (tile.Y > 0 && box.Y1 <= tile.Y + margin)
            || (tile.X + tile.Width < width && box.X2 >= tile.X + tile.Width - margin)
            || (tile.Y + tile.Height < height && box.Y2 >= tile.Y + tile.Height - margin);
    }

    /// <summary>
    /// Whether the whole image is the better view of an object that a tile boxed as <paramref name="box"/>: the box
    /// is larger than half the tile's side, and the whole image, shrunk to the network input, still shows it at least
    /// twice the side of the smallest default box. A tile enlarges what it shows (2× for tiles of 150 px) and cuts the
    /// scene around it, and the network, trained on whole scenes, then sees large objects in plain background
    /// (on synthetic images with no object at all: squares as large as the tile, scored 0.5–0.7).
    /// </summary>
    public static bool BetterSeenWhole(PixelBox box, (int X, int Y, int Width, int Height) tile, int width, int height, SsdConfig config)
    {
        bool largeInTile = Math.Max(box.X2 - box.X1, box.Y2 - box.Y1) > 0.5 * Math.Max(tile.Width, tile.Height);
        double sideInWholeImage = Math.Max((box.X2 - box.X1) * config.InputSize / width, (box.Y2 - box.Y1) * config.InputSize / height);
        return largeInTile && sideInWholeImage >= 2 * config.MinSizes[0];
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
