namespace SsdSharp.Imaging;

/// <summary>Line width and font size for drawing on an image, in proportion to the image's size.</summary>
/// <param name="LineWidth">Box outline width in pixels.</param>
/// <param name="FontSize">Caption font size in pixels.</param>
public readonly record struct DrawingScale(float LineWidth, float FontSize)
{
    /// <summary>Thinnest line that still shows.</summary>
    public const float MinLineWidth = 1;

    /// <summary>Smallest font that stays legible.</summary>
    public const float MinFontSize = 8;

    /// <summary>
    /// The scale for a <paramref name="width"/>×<paramref name="height"/> image: proportional to the geometric
    /// mean of its sides (a 300×300 image gets 1.5-px lines and an 11-px font; 4000×3000 gets 17 px and 125 px),
    /// never below <see cref="MinLineWidth"/> and <see cref="MinFontSize"/>. The mean rather than the short side
    /// keeps text readable on a panorama shown fitted to a screen; the font is kept under a fifth of the short
    /// side so that captions of a very flat image still leave room for its boxes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    public static DrawingScale For(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        float mean = MathF.Sqrt((float)width * height);
        float font = Math.Max(MinFontSize, Math.Min(0.036f * mean, Math.Min(width, height) / 5f));
        return new DrawingScale(Math.Max(MinLineWidth, 0.005f * mean), font);
    }
}
