using System.Drawing;

namespace SsdSharp.Imaging;

/// <summary>
/// Places box captions so that no two overlap and none leaves the image: pure geometry, no drawing.
/// </summary>
/// <remarks>
/// Captions are placed one after the other, in the order given (highest score first), each avoiding
/// those placed before it. A caption goes where it is free, trying in turn: above its box, at the left
/// end of its top edge; inside the box, under that edge; below the box. When all three are taken, it
/// slides rightwards along one of those edges to the nearest free place with half of it still over the
/// edge; failing that, it goes to the free place nearest to one of the three, shifted down, up or sideways
/// (the painter then draws a leader line to its box). When there is no free place at all, it takes the
/// first of the three that fits in the image and overlaps.
/// Rectangles are in whole pixels, so that a caption placed against another touches it exactly and the
/// drawn backgrounds fall on pixel edges; touching is not overlapping.
/// </remarks>
public static class CaptionLayout
{
    /// <summary>The caption rectangles for the boxes of one image.</summary>
    /// <param name="image">Image size in pixels.</param>
    /// <param name="boxes">Boxes in pixels, in the order their captions are placed (the first gets the best place).</param>
    /// <param name="captions">Caption size of each box in pixels; one larger than the image is cut to it.</param>
    /// <returns>One caption rectangle per box, inside the image.</returns>
    /// <exception cref="ArgumentException">The counts differ, or the image or a caption size is not positive.</exception>
    public static Rectangle[] Place(Size image, IReadOnlyList<RectangleF> boxes, IReadOnlyList<Size> captions)
    {
        if (image.Width <= 0 || image.Height <= 0) throw new ArgumentException($"image size must be positive, got {image}", nameof(image));
        if (boxes.Count != captions.Count) throw new ArgumentException($"{boxes.Count} boxes but {captions.Count} captions", nameof(captions));
        var placed = new Rectangle[boxes.Count];
        for (int i = 0; i < placed.Length; i++)
        {
            if (captions[i].Width <= 0 || captions[i].Height <= 0) throw new ArgumentException($"caption {i} size must be positive, got {captions[i]}", nameof(captions));
            var size = new Size(Math.Min(captions[i].Width, image.Width), Math.Min(captions[i].Height, image.Height));
            placed[i] = PlaceOne(image, boxes[i], size, placed.AsSpan(0, i));
        }
        return placed;
    }

    /// <summary>
    /// A line from a caption to its box when they do not touch (a caption shifted away in a crowd), so that
    /// the reader still sees which box it names; null when they touch.
    /// </summary>
    public static (PointF From, PointF To)? Leader(Rectangle caption, RectangleF box)
    {
        var (captionX, boxX, apartX) = Facing(caption.Left, caption.Right, box.Left, box.Right);
        var (captionY, boxY, apartY) = Facing(caption.Top, caption.Bottom, box.Top, box.Bottom);
        if (!apartX && !apartY) return null;
        return (new PointF(captionX, captionY), new PointF(boxX, boxY));
    }

    /// <summary>
    /// The nearest points of two intervals: their overlap's middle, or the facing ends when apart. A gap under
    /// a pixel, left by rounding the caption to whole pixels, counts as touching.
    /// </summary>
    private static (float A, float B, bool Apart) Facing(float a1, float a2, float b1, float b2)
    {
        if (b1 - a2 >= 1) return (a2, b1, true);
        if (a1 - b2 >= 1) return (a1, b2, true);
        float middle = (Math.Max(a1, b1) + Math.Min(a2, b2)) / 2;
        return (middle, middle, false);
    }

    private static Rectangle PlaceOne(Size image, RectangleF box, Size size, ReadOnlySpan<Rectangle> placed)
    {
        int maxX = image.Width - size.Width, maxY = image.Height - size.Height;
        // The box as far as it lies in the image, in whole pixels.
        int left = Math.Clamp((int)MathF.Round(box.Left), 0, image.Width);
        int right = Math.Clamp((int)MathF.Round(box.Right), left, image.Width);
        int top = Math.Clamp((int)MathF.Round(box.Top), 0, image.Height);
        int bottom = Math.Clamp((int)MathF.Round(box.Bottom), top, image.Height);
        int x = Math.Min(left, maxX);
        // Above the box, inside under its top edge (when the box is tall enough), below the box.
        Span<int> natural = [top - size.Height, bottom - top >= size.Height ? top : -1, bottom];
        Span<bool> fits = stackalloc bool[natural.Length];
        for (int k = 0; k < natural.Length; k++)
        {
            fits[k] = natural[k] >= 0 && natural[k] <= maxY;
            if (fits[k] && IsFree(new Rectangle(x, natural[k], size.Width, size.Height), placed)) return new Rectangle(x, natural[k], size.Width, size.Height);
        }

        // Rightwards along the box's top or bottom edge, as long as at least half the caption stays over the
        // edge: it then plainly belongs to its box, however far it slides.
        int slideEnd = Math.Min(maxX, Math.Max(x, right - size.Width / 2));
        Rectangle? best = null;
        int bestCost = int.MaxValue;
        for (int k = 0; k < natural.Length; k++)
        {
            if (!fits[k] || NearestFreeX(natural[k], x, x, slideEnd, size, placed) is not { } slid) continue;
            if (Math.Abs(slid - x) < bestCost)
            {
                bestCost = Math.Abs(slid - x);
                best = new Rectangle(slid, natural[k], size.Width, size.Height);
            }
        }
        if (best is { } alongEdge) return alongEdge;

        // Where none fits (a box taller than the image but shorter than its caption), distances count from all three, clamped.
        bool anyFits = fits.Contains(true);
        for (int k = 0; k < natural.Length; k++)
        {
            if (!anyFits) fits[k] = true;
            natural[k] = Math.Clamp(natural[k], 0, maxY);
        }
        // Away from the box, the nearest free place: it lies at a natural height, against a placed caption
        // above or below, or at an image edge; at each such height, the nearest free position sideways.
        var heights = new List<int>(2 * placed.Length + natural.Length + 2);
        foreach (int y in natural) heights.Add(y);
        foreach (var p in placed)
        {
            heights.Add(p.Bottom);
            heights.Add(p.Top - size.Height);
        }
        heights.Add(0);
        heights.Add(maxY);
        foreach (int y in heights)
        {
            if (y < 0 || y > maxY || NearestFreeX(y, x, 0, maxX, size, placed) is not { } freeX) continue;
            int cost = Math.Abs(freeX - x) + VerticalDistance(y, natural, fits);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = new Rectangle(freeX, y, size.Width, size.Height);
            }
        }
        if (best is { } shifted) return shifted;
        // No free place: the best place that stays in the image, overlapping.
        return new Rectangle(x, natural[fits.IndexOf(true)], size.Width, size.Height);
    }

    private static int VerticalDistance(int y, ReadOnlySpan<int> natural, ReadOnlySpan<bool> fits)
    {
        int distance = int.MaxValue;
        for (int k = 0; k < natural.Length; k++)
        {
            if (fits[k]) distance = Math.Min(distance, Math.Abs(y - natural[k]));
        }
        return distance;
    }

    /// <summary>
    /// The left edge nearest to <paramref name="x"/> in <paramref name="minX"/>…<paramref name="maxX"/> where a
    /// caption at height <paramref name="y"/> overlaps no placed caption; null when there is none.
    /// </summary>
    private static int? NearestFreeX(int y, int x, int minX, int maxX, Size size, ReadOnlySpan<Rectangle> placed)
    {
        // A placed caption in this row forbids left edges strictly between its left minus our width and its right.
        var blocked = new List<(int From, int To)>();
        foreach (var p in placed)
        {
            if (p.Top < y + size.Height && y < p.Bottom) blocked.Add((p.Left - size.Width, p.Right));
        }
        if (minX > maxX) return null;
        if (blocked.Count == 0) return Math.Clamp(x, minX, maxX);
        blocked.Sort();
        var merged = new List<(int From, int To)> { blocked[0] };
        foreach (var b in blocked.Skip(1))
        {
            var last = merged[^1];
            if (b.From < last.To) merged[^1] = (last.From, Math.Max(last.To, b.To));
            else merged.Add(b);
        }
        // Ends of the merged intervals are free (they lie strictly inside none); so are x, minX and maxX outside them.
        int? nearest = null;
        void Consider(int candidate)
        {
            if (candidate >= minX && candidate <= maxX && (nearest is null || Math.Abs(candidate - x) < Math.Abs(nearest.Value - x))) nearest = candidate;
        }
        foreach (var (from, to) in merged)
        {
            Consider(from);
            Consider(to);
        }
        foreach (int edge in (ReadOnlySpan<int>)[x, minX, maxX])
        {
            if (!merged.Exists(m => m.From < edge && edge < m.To)) Consider(edge);
        }
        return nearest;
    }

    private static bool IsFree(Rectangle caption, ReadOnlySpan<Rectangle> placed)
    {
        foreach (var p in placed)
        {
            if (p.IntersectsWith(caption)) return false;
        }
        return true;
    }
}
