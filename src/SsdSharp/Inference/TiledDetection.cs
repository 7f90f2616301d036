using SsdSharp.Boxes;
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

    /// <summary>Detects the tiles (and the whole image) in batches and merges their detections by NMS in image coordinates.</summary>
    public static ImageDetections Detect(SsdDetector detector, RgbImage image, string name, TileOptions options)
    {
        var tiles = Layout(image.Width, image.Height, options.Validate());
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
                detections.AddRange(results[i].Detections.Select(d => d with { Box = new PixelBox(d.Box.X1 + x, d.Box.Y1 + y, d.Box.X2 + x, d.Box.Y2 + y) }));
            }
        }
        if (options.WholeImage && tiles.Count > 1) detections.AddRange(detector.Detect([image], [name])[0].Detections);
        return new ImageDetections(name, image.Width, image.Height, Merge(detections, detector.Detection));
    }

    /// <summary>
    /// One detection per object from overlapping views: greedy NMS per class (or over all classes) at the
    /// detector's threshold, highest scores first, capped as a single image's detections are.
    /// </summary>
    public static List<Detection> Merge(IEnumerable<Detection> detections, Configuration.DetectionOptions options)
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
