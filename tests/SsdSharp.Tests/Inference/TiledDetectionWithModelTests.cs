using SsdSharp.Data;
using SsdSharp.Data.Synthetic;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SsdSharp.Tests.Inference;

/// <summary>
/// Tiled detection with the bundled model on synthetic images with their true boxes: tiles must add objects, not
/// confident boxes for the parts of objects that a tile's edge cuts off.
/// </summary>
public sealed class TiledDetectionWithModelTests(BundledDetector bundled, ITestOutputHelper output) : IClassFixture<BundledDetector>, IDisposable
{
    private const float Confident = 0.5f;
    private readonly TempFolder _temp = new();

    [Theory]
    [InlineData(150)]
    [InlineData(300)]
    public void TilesFindAtLeastWhatTheWholeImageFindsAndKeepItsPrecision(int size)
    {
        var images = Generate(new SyntheticDatasetOptions { Images = 30, Seed = 11 });
        var detector = bundled.Detector;
        var (whole, tiled) = (new DetectionTally(Confident), new DetectionTally(Confident));
        foreach (var item in images)
        {
            var image = RgbImage.Decode(item.ImagePath);
            whole.Add(detector.Detect([image], ["image"])[0], item);
            tiled.Add(detector.DetectTiled(image, new TileOptions { Size = size }), item);
        }
        output.WriteLine($"whole images: {whole}; tiles of {size} px: {tiled}");
        Assert.True(whole.Objects > 60, $"the whole images found {whole}");
        Assert.True(tiled.Objects >= whole.Objects, $"tiles of {size} px found {tiled}, the whole images {whole}");
        // Measured: the whole images 0.96, tiles of 300 and 150 px 0.96 and 0.87; merged without the rules of
        // TiledDetection.LeftToOtherViews 0.65 and 0.32.
        Assert.True(tiled.Precision >= 0.8, $"tiles of {size} px: {tiled}; the whole images {whole}");
    }

    [Fact]
    public void InLargeImagesTilesKeepTheObjectsTheyCut()
    {
        // Objects of 60–150 px in images of 1,200–1,600 px: on the whole image shrunk to 300 px they are 11–38 px, and
        // many of them straddle a seam between tiles of 300 px.
        var images = Generate(new SyntheticDatasetOptions
        {
            Images = 10, Seed = 7, MinSide = 1200, MaxSide = 1600, MaxObjects = 12, ObjectPixels = (60, 150), DifficultBelow = 1,
        });
        int objects = images.Sum(i => i.Objects.Count);
        var tiled = new DetectionTally(0.3f);
        foreach (var item in images) tiled.Add(bundled.Detector.DetectTiled(RgbImage.Decode(item.ImagePath), new TileOptions { Size = 300 }), item);
        output.WriteLine($"{objects} objects; tiles of 300 px: {tiled}");
        Assert.True(objects >= 20, $"{objects} objects");
        // Measured: 73 of 73; 67 when every box at a tile's inner edge was left out, as if the whole image saw them.
        Assert.True(tiled.Objects >= 0.97 * objects, $"tiles of 300 px found {tiled.Objects} of {objects} objects");
    }

    private ImageAnnotation[] Generate(SyntheticDatasetOptions options) => SyntheticScenes.Generate(_temp.Root, options);

    public void Dispose() => _temp.Dispose();
}
