using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Tests.Imaging;

public class ClassPaletteTests
{
    [Fact]
    public void IdsWrapAroundThePalette()
    {
        Assert.Equal(ClassPalette.ColorOf(3), ClassPalette.ColorOf(3 + ClassPalette.Count));
        Assert.Equal(ClassPalette.ColorOf(ClassPalette.Count - 1), ClassPalette.ColorOf(-1));
    }

    [Theory]
    [InlineData(101, 0.08)]
    [InlineData(ClassPalette.Count, 0.05)]
    public void NeighbouringIdsAreClearlyDistinct(int ids, double least)
    {
        // 0.02 in OKLab is about the smallest difference one notices; the first hundred ids cover COCO's 80 classes.
        for (int id = 0; id < ids - 1; id++)
        {
            Assert.True(ClassPalette.Difference(ClassPalette.ColorOf(id), ClassPalette.ColorOf(id + 1)) > least, $"classes {id} and {id + 1}");
        }
    }

    [Fact]
    public void TheTwentyVocClassesAreAllFarApart()
    {
        for (int a = 1; a <= 20; a++)
        for (int b = 1; b < a; b++)
        {
            Assert.True(ClassPalette.Difference(ClassPalette.ColorOf(a), ClassPalette.ColorOf(b)) > 0.12, $"classes {a} and {b}");
        }
    }

    [Fact]
    public void CaptionTextIsReadableOnEveryClassColour()
    {
        // WCAG AA asks 4.5:1 for normal text.
        for (int id = 0; id < ClassPalette.Count; id++)
        {
            var background = ClassPalette.ColorOf(id);
            Assert.True(ClassPalette.ContrastRatio(background, ClassPalette.TextColorOn(background)) >= 4.5, $"class {id}: {background}");
        }
    }

    [Fact]
    public void TextIsBlackOnLightAndWhiteOnDarkBackgrounds()
    {
        Assert.Equal(SKColors.Black, ClassPalette.TextColorOn(SKColors.Yellow));
        Assert.Equal(SKColors.Black, ClassPalette.TextColorOn(new SKColor(0, 238, 0)));
        Assert.Equal(SKColors.White, ClassPalette.TextColorOn(SKColors.Navy));
        Assert.Equal(SKColors.White, ClassPalette.TextColorOn(new SKColor(102, 0, 255)));
    }

    [Fact]
    public void LuminanceAndContrastFollowWcag()
    {
        Assert.Equal(0, ClassPalette.RelativeLuminance(SKColors.Black), 6);
        Assert.Equal(1, ClassPalette.RelativeLuminance(SKColors.White), 6);
        Assert.Equal(21, ClassPalette.ContrastRatio(SKColors.White, SKColors.Black), 6);
        Assert.Equal(0.2126, ClassPalette.RelativeLuminance(SKColors.Red), 4);
    }
}
