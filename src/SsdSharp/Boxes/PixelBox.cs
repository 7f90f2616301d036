namespace SsdSharp.Boxes;

/// <summary>A box in pixels of an image, corner form, continuous coordinates (x2 = x1 + width).</summary>
/// <param name="X1">Left.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
public readonly record struct PixelBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>Width in pixels.</summary>
    public float Width => X2 - X1;

    /// <summary>Height in pixels.</summary>
    public float Height => Y2 - Y1;

    /// <summary>The box clamped to an image of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public PixelBox ClipTo(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    /// <summary>The box in the image mirrored left to right, <paramref name="width"/> pixels wide: x becomes width − x, so x1 and x2 swap roles.</summary>
    public PixelBox MirroredIn(float width) => new(width - X2, Y1, width - X1, Y2);

    /// <summary>Intersection over union (Jaccard overlap) in float64, continuous coordinates (no +1, SPEC §3).</summary>
    public static double Iou(PixelBox a, PixelBox b)
    {
        double iw = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        double ih = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        double intersection = iw * ih;
        return intersection / ((double)a.Width * a.Height + (double)b.Width * b.Height - intersection);
    }
}
