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
    public void ABoxIsCutWhereItReachesAnEdgeTheTileSharesWithItsNeighbours()
    {
        // The middle column of a 591 × 606 image: tiles of 300 px at x = 240 (inner edges left and right), y = 0
        // (the top is the image's border, the bottom an inner edge); 2 % of 300 px is the margin.
        var tile = (X: 240, Y: 0, Width: 300, Height: 300);
        Assert.Equal((false, false), TiledDetection.CutAt(new PixelBox(260, 0, 320, 60), tile, 591, 606));
        Assert.Equal((true, false), TiledDetection.CutAt(new PixelBox(245, 100, 320, 160), tile, 591, 606));
        Assert.Equal((true, false), TiledDetection.CutAt(new PixelBox(400, 100, 535, 160), tile, 591, 606));
        Assert.Equal((false, true), TiledDetection.CutAt(new PixelBox(400, 250, 450, 295), tile, 591, 606));
        // The last column ends at the image's right border: a box reaching it is whole.
        Assert.Equal((false, false), TiledDetection.CutAt(new PixelBox(450, 100, 591, 160), (291, 0, 300, 300), 591, 606));
    }

    [Fact]
    public void ABoxIsLeftToTheWholeImageOnlyWhereTheWholeImageShowsItLargeEnough()
    {
        var config = SsdPresets.Shapes300;
        var corner = (X: 0, Y: 0, Width: 150, Height: 150);
        // Up to half the tile, clear of its inner edges: the tile's.
        Assert.False(TiledDetection.LeftToOtherViews(new PixelBox(10, 10, 85, 85), corner, 600, 600, 0.2, config));
        // Larger than half the tile: 100 px of a 600 px image is 50 px on the 300 px input, under twice the smallest
        // default box (2 × 30 px), so still the tile's; 130 px is 65 px there, the whole image's.
        Assert.False(TiledDetection.LeftToOtherViews(new PixelBox(10, 10, 110, 110), corner, 600, 600, 0.2, config));
        Assert.True(TiledDetection.LeftToOtherViews(new PixelBox(10, 10, 140, 140), corner, 600, 600, 0.2, config));
        // The same box in a 2400 px image is 16 px on the input: the tile's.
        Assert.False(TiledDetection.LeftToOtherViews(new PixelBox(10, 10, 140, 140), corner, 2400, 2400, 0.2, config));

        // At the tile's inner (right) edge, 60 px across the cut (more than the overlap): in a 600 px image 30 px on the
        // input, the whole image's; in a 2400 px image 7.5 px there, and the tile's box is all there is.
        var cut = new PixelBox(90, 10, 150, 70);
        Assert.True(TiledDetection.LeftToOtherViews(cut, corner, 600, 600, 0.2, config));
        Assert.False(TiledDetection.LeftToOtherViews(cut, corner, 2400, 2400, 0.2, config));
        // Narrower across the cut than the overlap (30 px): the neighbouring tile has more of it, whatever the image.
        Assert.True(TiledDetection.LeftToOtherViews(new PixelBox(130, 10, 150, 70), corner, 2400, 2400, 0.2, config));
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
