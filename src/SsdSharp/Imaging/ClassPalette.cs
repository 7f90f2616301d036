using SkiaSharp;

namespace SsdSharp.Imaging;

/// <summary>
/// One colour per class id, the same in every image and every run, and the caption text colour that
/// stays readable on it.
/// </summary>
/// <remarks>
/// The colours are chosen by Glasbey's method (Glasbey et al., "Colour displays for categorical images",
/// 2007): each next colour is the candidate farthest, in the perceptual OKLab space, from all colours
/// chosen before it. Nearby ids — the classes that a VOC- or COCO-sized model shows side by side — are
/// therefore far apart, unlike hues stepped by the golden angle, which bring ids 8 or 13 apart back to
/// nearly the same hue. Candidates are limited to mid lightness and clear chroma, so that every colour
/// stands out on photographs and carries either white or black text.
/// </remarks>
public static class ClassPalette
{
    /// <summary>How many distinct colours there are; class ids wrap around beyond.</summary>
    public const int Count = 256;

    // A colour's relative luminance above which black text has more contrast than white (WCAG 2).
    private const double BlackTextLuminance = 0.179;

    private static readonly Lazy<SKColor[]> Colors = new(Build);

    /// <summary>The colour of a class id.</summary>
    public static SKColor ColorOf(int classId) => Colors.Value[(classId % Count + Count) % Count];

    /// <summary>Black or white, whichever contrasts more with <paramref name="background"/>.</summary>
    public static SKColor TextColorOn(SKColor background) =>
        RelativeLuminance(background) > BlackTextLuminance ? SKColors.Black : SKColors.White;

    /// <summary>WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white).</summary>
    public static double RelativeLuminance(SKColor color) =>
        0.2126 * Linear(color.Red) + 0.7152 * Linear(color.Green) + 0.0722 * Linear(color.Blue);

    /// <summary>WCAG 2 contrast ratio of two colours, 1 to 21.</summary>
    public static double ContrastRatio(SKColor a, SKColor b)
    {
        double la = RelativeLuminance(a), lb = RelativeLuminance(b);
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>Distance of two colours in OKLab; about 0.02 is just noticeable.</summary>
    public static double Difference(SKColor a, SKColor b) => Distance(OkLab(a), OkLab(b));

    private static SKColor[] Build()
    {
        // An sRGB grid of 16 levels a channel, kept where OKLab lightness is 0.5–0.85 and chroma at least 0.08.
        var candidates = new List<(SKColor Color, (double L, double A, double B) Lab)>();
        for (int r = 0; r < 256; r += 17)
        for (int g = 0; g < 256; g += 17)
        for (int b = 0; b < 256; b += 17)
        {
            var color = new SKColor((byte)r, (byte)g, (byte)b);
            var lab = OkLab(color);
            if (lab.L is >= 0.5 and <= 0.85 && Chroma(lab) >= 0.08) candidates.Add((color, lab));
        }
        var nearest = new double[candidates.Count];
        Array.Fill(nearest, double.PositiveInfinity);
        // Start from the most saturated candidate; afterwards always take the one farthest from all chosen.
        int next = 0;
        for (int i = 1; i < candidates.Count; i++)
        {
            if (Chroma(candidates[i].Lab) > Chroma(candidates[next].Lab)) next = i;
        }
        var palette = new SKColor[Count];
        for (int k = 0; k < Count; k++)
        {
            var chosen = candidates[next];
            palette[k] = chosen.Color;
            int farthest = 0;
            for (int i = 0; i < candidates.Count; i++)
            {
                nearest[i] = Math.Min(nearest[i], Distance(candidates[i].Lab, chosen.Lab));
                if (nearest[i] > nearest[farthest]) farthest = i;
            }
            next = farthest;
        }
        return palette;
    }

    private static double Chroma((double L, double A, double B) c) => Math.Sqrt(c.A * c.A + c.B * c.B);

    private static double Distance((double L, double A, double B) p, (double L, double A, double B) q) =>
        Math.Sqrt((p.L - q.L) * (p.L - q.L) + (p.A - q.A) * (p.A - q.A) + (p.B - q.B) * (p.B - q.B));

    private static double Linear(byte channel)
    {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    /// <summary>sRGB to OKLab (Ottosson, 2020).</summary>
    private static (double L, double A, double B) OkLab(SKColor color)
    {
        double r = Linear(color.Red), g = Linear(color.Green), b = Linear(color.Blue);
        double l = Math.Cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
        double m = Math.Cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
        double s = Math.Cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
        return (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s);
    }
}
