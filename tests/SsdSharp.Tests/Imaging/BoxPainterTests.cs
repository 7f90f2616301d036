using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Tests.Imaging;

public class BoxPainterTests
{
    private static SKBitmap Grey(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(new SKColor(128, 128, 128));
        return bitmap;
    }

    private static int Count(SKBitmap bitmap, SKColor color, SKRectI area)
    {
        int n = 0;
        for (int y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
        for (int x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
        {
            if (bitmap.GetPixel(x, y) == color) n++;
        }
        return n;
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(400, 300)]
    [InlineData(4000, 3000)]
    public void CaptionIsFilledWithTheClassColourAboveTheBoxAndCarriesText(int width, int height)
    {
        using var bitmap = Grey(width, height);
        var box = new LabeledBox(width * 0.3f, height * 0.4f, width * 0.7f, height * 0.8f, "dog 0.93", 12);
        BoxPainter.Draw(bitmap, [box]);
        var color = ClassPalette.ColorOf(12);
        var scale = DrawingScale.For(width, height);
        // The band just above the box, as tall as the font: mostly caption background, some text ink.
        var above = new SKRectI((int)box.X1, (int)(box.Y1 - scale.FontSize), (int)box.X2, (int)box.Y1);
        int background = Count(bitmap, color, above), ink = Count(bitmap, ClassPalette.TextColorOn(color), above);
        Assert.True(background > scale.FontSize * scale.FontSize, $"{background} caption pixels");
        Assert.True(ink > 0, "no text pixels");
        // The outline lies inside the box: nothing of the class colour left of it on the box's middle row.
        Assert.Equal(0, Count(bitmap, color, new SKRectI(0, (int)((box.Y1 + box.Y2) / 2), (int)box.X1 - 1, (int)((box.Y1 + box.Y2) / 2) + 1)));
    }

    [Fact]
    public void BoxWithoutCaptionGetsOnlyItsOutline()
    {
        using var bitmap = Grey(200, 200);
        BoxPainter.Draw(bitmap, [new LabeledBox(50, 50, 150, 150, "", 3)]);
        Assert.Equal(0, Count(bitmap, ClassPalette.ColorOf(3), new SKRectI(0, 0, 200, 49)));
        Assert.True(Count(bitmap, ClassPalette.ColorOf(3), new SKRectI(50, 50, 150, 52)) > 100);
    }

    [Fact]
    public void CrowdedTinyImageIsDrawnWithoutError()
    {
        using var bitmap = Grey(64, 48);
        var random = new Random(5);
        BoxPainter.Draw(bitmap, Enumerable.Range(0, 50).Select(i =>
        {
            float x = random.NextSingle() * 60, y = random.NextSingle() * 44;
            return new LabeledBox(x - 5, y - 5, x + 10, y + 8, $"pottedplant {1 - i / 50.0:F2}", i % 21);
        }));
        Assert.True(Count(bitmap, new SKColor(128, 128, 128), new SKRectI(0, 0, 64, 48)) < 64 * 48);
    }

    // One unit a character: Fit depends on the measure only.
    private static float Chars(string text) => text.Length;

    [Fact]
    public void FittingCaptionIsKept() => Assert.Equal("dog 0.93", BoxPainter.Fit("dog 0.93", 8, Chars));

    [Fact]
    public void LongCaptionLosesTheEndOfItsLabelAndKeepsTheScore() =>
        Assert.Equal("potted… 0.93", BoxPainter.Fit("pottedplant 0.93", 12, Chars));

    [Fact]
    public void CaptionWithoutRoomForTheScoreIsCutAtTheEnd() =>
        Assert.Equal("pott…", BoxPainter.Fit("pottedplant 0.93", 5, Chars));

    [Fact]
    public void SingleWordCaptionIsCutAtTheEnd() =>
        Assert.Equal("pottedp…", BoxPainter.Fit("pottedplant", 8, Chars));
}
