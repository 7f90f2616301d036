using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Inference;

public class TiledDetectionTests
{
    [Fact]
    public void TilesCoverTheImageOverlapAndStayInside()
    {
        var options = new TileOptions { Size = 300, Overlap = 0.2 };
        var tiles = TiledDetection.Layout(1000, 700, options);
        // Stride 240: columns at 0, 240, 480, 700 (the last moved back to the border); rows at 0, 240, 400.
        Assert.Equal([0, 240, 480, 700], tiles.Select(t => t.X).Distinct());
        Assert.Equal([0, 240, 400], tiles.Select(t => t.Y).Distinct());
        Assert.All(tiles, t => Assert.True(t.X + t.Width <= 1000 && t.Y + t.Height <= 700 && t.Width == 300 && t.Height == 300));
        Assert.Equal([(0, 0, 200, 150)], TiledDetection.Layout(200, 150, options));
    }

    [Fact]
    public void TheSameObjectSeenByTwoTilesIsKeptOnceWithItsBestScore()
    {
        var merged = TiledDetection.Merge(
        [
            new Detection(1, "circle", 0.6f, new PixelBox(100, 100, 120, 120)),
            new Detection(1, "circle", 0.9f, new PixelBox(101, 100, 121, 120)),
            new Detection(2, "square", 0.5f, new PixelBox(100, 100, 120, 120)),
            new Detection(1, "circle", 0.4f, new PixelBox(400, 400, 420, 420)),
        ], new DetectionOptions { NmsThreshold = 0.45, MaxDetections = 2 });
        Assert.Equal([0.9f, 0.5f], merged.Select(d => d.Score));
    }

    [Fact]
    public void CroppingCopiesTheRectangle()
    {
        var pixels = Enumerable.Range(0, 4 * 3 * 3).Select(i => (float)i).ToArray();
        var crop = new RgbImage(4, 3, pixels).Crop(1, 1, 2, 2);
        Assert.Equal([15f, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32], crop.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(4, 3, pixels).Crop(3, 0, 2, 1));
    }

    [Fact]
    public void RawBgrBuffersWithARowStrideReadAsRgb()
    {
        // 2×2 pixels, BGR, rows padded to 8 bytes.
        byte[] bgr = [3, 2, 1, 6, 5, 4, 99, 99, 9, 8, 7, 12, 11, 10, 99, 99];
        var image = RgbImage.FromPixels(bgr, 2, 2, PixelOrder.Bgr24, stride: 8);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], image.Pixels);
        Assert.Throws<ArgumentException>(() => RgbImage.FromPixels(bgr[..13], 2, 2, PixelOrder.Bgr24, stride: 8));
    }
}
