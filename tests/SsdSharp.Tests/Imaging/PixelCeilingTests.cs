using SsdSharp.Imaging;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Imaging;

/// <summary>
/// The pixel limit cannot be raised past what a decoded image's float array holds: 30000×30000 with
/// <c>--max-megapixels 1000</c> overflowed <c>width · height · 3</c> and cost every other image's results.
/// </summary>
[Collection(PixelLimitCollection.Name)]
public sealed class PixelCeilingTests
{
    [Fact]
    public void TheCeilingsThreeFloatsAPixelFitOneArray()
    {
        Assert.True(ImageDecoder.MaxSupportedPixels * 3 <= Array.MaxLength);
        Assert.True(ImageDecoder.DefaultMaxPixels <= ImageDecoder.MaxSupportedPixels);
    }

    [Fact]
    public void TheLimitCannotBeSetAboveTheCeiling()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.MaxPixels = ImageDecoder.MaxSupportedPixels + 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.MaxPixels = 30_000L * 30_000);
        Assert.Equal(ImageDecoder.DefaultMaxPixels, ImageDecoder.MaxPixels);
        // Raising it cannot break a test running beside this one; lowering it could (the tests that set it share a collection).
        ImageDecoder.MaxPixels = ImageDecoder.MaxSupportedPixels;
        ImageDecoder.MaxPixels = ImageDecoder.DefaultMaxPixels;
    }

    [Fact]
    public void TheOptionStopsAtTheCeiling()
    {
        CliAssert.OneLineError(CliRunner.Run("detect", "--max-megapixels", "1000", "IMAGE"), "--max-megapixels: must be in [1, 700], got 1000");
        // 700 is taken: the command goes on to its data, which is what it refuses.
        CliAssert.OneLineError(CliRunner.Run("dataset", "stats", "--data", "VOC:/nowhere", "--max-megapixels", "700"), "/nowhere");
    }
}
