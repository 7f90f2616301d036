using SsdSharp.Imaging;

namespace SsdSharp.Tests.Imaging;

public class DrawingScaleTests
{
    [Fact]
    public void TinyImageGetsThinLinesAndTheSmallestLegibleFont()
    {
        var scale = DrawingScale.For(64, 64);
        Assert.Equal(DrawingScale.MinLineWidth, scale.LineWidth);
        Assert.Equal(DrawingScale.MinFontSize, scale.FontSize);
    }

    [Fact]
    public void OrdinaryImageGetsAnElevenPixelFont()
    {
        var scale = DrawingScale.For(300, 300);
        Assert.Equal(10.8f, scale.FontSize, 3);
        Assert.Equal(1.5f, scale.LineWidth, 3);
    }

    [Fact]
    public void HugeImageScalesBothInProportion()
    {
        var ordinary = DrawingScale.For(400, 300);
        var huge = DrawingScale.For(4000, 3000);
        Assert.Equal(10 * ordinary.FontSize, huge.FontSize, 2);
        Assert.Equal(10 * ordinary.LineWidth, huge.LineWidth, 2);
        Assert.True(huge.FontSize > 100);
    }

    [Fact]
    public void GrowsWithTheImageAndNeverFallsBelowTheMinimum()
    {
        var previous = DrawingScale.For(1, 1);
        foreach (int side in new[] { 2, 16, 64, 128, 300, 640, 1280, 4000, 10000 })
        {
            var scale = DrawingScale.For(side, side);
            Assert.True(scale.FontSize >= previous.FontSize && scale.LineWidth >= previous.LineWidth, $"{side} px");
            Assert.True(scale.FontSize >= DrawingScale.MinFontSize && scale.LineWidth >= DrawingScale.MinLineWidth, $"{side} px");
            previous = scale;
        }
    }

    [Fact]
    public void FlatImageKeepsTheFontUnderAFifthOfItsHeight()
    {
        Assert.Equal(80 / 5f, DrawingScale.For(4000, 80).FontSize, 3);
    }

    [Fact]
    public void EmptyImageIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DrawingScale.For(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => DrawingScale.For(10, -1));
    }
}
