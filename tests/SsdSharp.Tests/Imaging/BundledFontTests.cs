using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Tests.Imaging;

/// <summary>Drawings carry their own font, so captions and chart labels appear on machines without fonts.</summary>
public class BundledFontTests
{
    [Fact]
    public void TheBundledTypefaceIsDejaVuSansWithAGlyphForEveryPrintableAsciiCharacter()
    {
        Assert.Equal("DejaVu Sans", BundledFont.Typeface.FamilyName);
        var printable = new string([.. Enumerable.Range(32, 95).Select(c => (char)c)]);
        using var font = new SKFont(BundledFont.Typeface, 12);
        Assert.DoesNotContain((ushort)0, font.GetGlyphs(printable));
    }

    [Fact]
    public void ChartsResolveTheBundledFamilyAndNothingElse()
    {
        BundledFont.RegisterWithCharts();
        BundledFont.RegisterWithCharts();
        using var face = ScottPlot.Fonts.GetTypeface(BundledFont.FamilyName, ScottPlot.FontWeight.Bold, ScottPlot.FontSlant.Upright, ScottPlot.FontSpacing.Normal);
        Assert.Equal("DejaVu Sans", face.FamilyName);
        Assert.Single(ScottPlot.Fonts.FontResolvers, r => r.GetType().DeclaringType == typeof(BundledFont));
    }

    [Fact]
    public void CaptionsAreDrawnWithGlyphs()
    {
        // Two captions of the same length in different letters: without glyphs both would be blank labels of
        // the same size, with glyphs they differ wherever the letters do.
        static SKBitmap Drawn(string caption)
        {
            var bitmap = new SKBitmap(200, 120);
            bitmap.Erase(SKColors.White);
            BoxPainter.Draw(bitmap, [new LabeledBox(20, 40, 180, 110, caption, 3)]);
            return bitmap;
        }
        using var star = Drawn("star 0.99");
        using var oval = Drawn("oval 0.66");
        int differing = 0;
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 200; x++)
                if (star.GetPixel(x, y) != oval.GetPixel(x, y)) differing++;
        Assert.True(differing > 30, $"only {differing} pixels differ between two different captions");
    }
}
