using System.Reflection;
using SkiaSharp;

namespace SsdSharp.Imaging;

/// <summary>
/// The one typeface of every picture SsdSharp draws (captions, charts): DejaVu Sans, carried inside the
/// assembly (Bitstream Vera licence, Imaging/Fonts/LICENSE-DejaVu.txt). Servers, containers and GPU machines
/// often have no fonts installed; Skia's default typeface then has no glyphs and every caption and axis label
/// vanished without an error. Carrying the font also makes a drawing the same on every machine.
/// </summary>
internal static class BundledFont
{
    /// <summary>The family name under which charts ask for the font.</summary>
    public const string FamilyName = "SsdSharp DejaVu Sans";

    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(BundledFont).Assembly.GetManifestResourceStream("SsdSharp.Imaging.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("the font resource SsdSharp.Imaging.DejaVuSans.ttf is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<SKTypeface> Shared = new(Create);

    /// <summary>The typeface, shared; never dispose it.</summary>
    public static SKTypeface Typeface => Shared.Value;

    /// <summary>
    /// A font of the typeface at <paramref name="size"/>, antialiased; <paramref name="bold"/> thickens the strokes
    /// (the regular face is the only one carried).
    /// </summary>
    public static SKFont Font(float size, bool bold = false) =>
        new(Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true, Embolden = bold };

    /// <summary>The family list written into SVG files, whose viewers choose their own fonts.</summary>
    public const string SvgFamilies = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

    /// <summary>A new instance of the typeface, owned by the caller.</summary>
    public static SKTypeface Create()
    {
        using var data = SKData.CreateCopy(Bytes.Value);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException("Skia could not read the bundled DejaVu Sans font");
    }

    /// <summary>Makes <see cref="FamilyName"/> known to ScottPlot (once per process).</summary>
    public static void RegisterWithCharts() => _ = ChartRegistration.Value;

    private static readonly Lazy<bool> ChartRegistration = new(() =>
    {
        ScottPlot.Fonts.FontResolvers.Add(new ChartFontResolver());
        return true;
    });

    /// <summary>Answers ScottPlot's requests for <see cref="FamilyName"/> (any weight or slant) with the bundled font.</summary>
    private sealed class ChartFontResolver : ScottPlot.IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            fontName == FamilyName ? Create() : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == FamilyName ? Create() : null;
    }
}
