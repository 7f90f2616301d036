using System.Text.Json;
using SsdSharp.Boxes;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Inference;

/// <summary>
/// <see cref="DetectorOptions.TestTimeAugmentation"/> with the bundled model: each image detected as it is and mirrored,
/// the views fused (<see cref="WeightedBoxFusion"/>, whose rules <see cref="WeightedBoxFusionTests"/> checks).
/// </summary>
public sealed class TestTimeAugmentationTests(BundledDetector bundled) : IClassFixture<BundledDetector>, IDisposable
{
    private readonly SsdDetector _detector = SsdDetector.Load(BundledDetector.ModelPath,
        new DetectorOptions { Backend = InferenceBackendKind.LibTorch, Device = ComputeDevice.Cpu, TestTimeAugmentation = true });

    private static RgbImage Mirror(RgbImage image)
    {
        var mirrored = new AugmentedImage(image);
        mirrored.Mirror();
        return mirrored.ToRgbImage();
    }

    private static PixelBox Mirror(PixelBox box, int width) => new(width - box.X2, box.Y1, width - box.X1, box.Y2);

    /// <summary>The detection of <paramref name="label"/> in <paramref name="detections"/> that overlaps <paramref name="box"/> most, if by more than a half.</summary>
    private static Detection? Match(IEnumerable<Detection> detections, string label, PixelBox box) =>
        detections.Where(d => d.Label == label && PixelBox.Iou(d.Box, box) > 0.5).MaxBy(d => PixelBox.Iou(d.Box, box));

    [Fact]
    public void AnObjectScoresTheMeanOfItsScoresInTheImageAndInItsMirrorImage()
    {
        // The single views come from the detector without augmentation, the mirror view from the mirrored image itself.
        var image = RgbImage.Decode(BundledDetector.Sample(1));
        var fused = _detector.Detect([image], ["sample"])[0].Detections.Where(d => d.Score >= 0.5).ToList();
        var plain = bundled.Detector.Detect([image], ["sample"])[0].Detections;
        var mirrored = bundled.Detector.Detect([Mirror(image)], ["mirror"])[0].Detections.Select(d => d with { Box = Mirror(d.Box, image.Width) }).ToList();
        Assert.True(fused.Count >= 5, $"{fused.Count} detections of at least 0.5");
        foreach (var d in fused)
        {
            var (inImage, inMirror) = (Match(plain, d.Label, d.Box), Match(mirrored, d.Label, d.Box));
            Assert.True(inImage is not null && inMirror is not null, $"{d.Label} {d.Score:F3} at {d.Box} is not in both views");
            Assert.Equal((inImage.Score + inMirror.Score) / 2, d.Score, 2e-3);
            // Its box lies between the two views' boxes.
            Assert.InRange(d.Box.X1, Math.Min(inImage.Box.X1, inMirror.Box.X1) - 0.5, Math.Max(inImage.Box.X1, inMirror.Box.X1) + 0.5);
            Assert.InRange(d.Box.Y2, Math.Min(inImage.Box.Y2, inMirror.Box.Y2) - 0.5, Math.Max(inImage.Box.Y2, inMirror.Box.Y2) + 0.5);
        }
    }

    [Fact]
    public void NoDetectionScoresAtOrBelowTheConfidenceThreshold()
    {
        // The README's sample holds a box that one view alone scores above 0.5: fused, it scores about 0.25.
        var image = RgbImage.Decode(BundledDetector.Sample(1));
        _detector.Detection = _detector.Detection with { ConfidenceThreshold = 0.2 };
        Assert.Contains(_detector.Detect([image], ["sample"])[0].Detections, d => d.Score is > 0.2f and < 0.5f);
        _detector.Detection = _detector.Detection with { ConfidenceThreshold = 0.5 };
        var confident = _detector.Detect([image], ["sample"])[0].Detections;
        Assert.NotEmpty(confident);
        Assert.All(confident, d => Assert.True(d.Score > 0.5f, $"{d.Label} {d.Score}"));
    }

    [Fact]
    public void TheMirrorImageGivesTheMirroredDetections()
    {
        var image = RgbImage.Decode(BundledDetector.Sample(2));
        var direct = _detector.Detect([image], ["image"])[0].Detections.Where(d => d.Score >= 0.1).ToList();
        var ofMirror = _detector.Detect([Mirror(image)], ["mirror"])[0].Detections;
        Assert.NotEmpty(direct);
        foreach (var d in direct)
        {
            var twin = Match(ofMirror, d.Label, Mirror(d.Box, image.Width));
            Assert.True(twin is not null, $"{d.Label} {d.Score:F3} at {d.Box} has no mirrored twin");
            Assert.Equal(d.Score, twin.Score, 1e-3);
            Assert.True(PixelBox.Iou(Mirror(twin.Box, image.Width), d.Box) > 0.99, $"{d.Box} against {twin.Box} mirrored");
        }
    }

    [Fact]
    public void FilesGiveWhatImagesGive()
    {
        string[] paths = [BundledDetector.Sample(1), BundledDetector.Sample(2)];
        var fromFiles = _detector.DetectFiles(paths).ToList();
        var fromImages = _detector.Detect(paths.Select(RgbImage.Decode).ToArray(), paths);
        Assert.Equal(fromImages.Select(r => r.Detections), fromFiles.Select(r => r.Detections));
    }

    [Fact]
    public void PredictionsWithoutTheMirrorViewsAreRefused()
    {
        var image = RgbImage.Decode(BundledDetector.Sample(1));
        var single = _detector.Backend.Run(_detector.Preprocess([image]), 1);
        var error = Assert.Throws<ArgumentException>(() => _detector.PostProcess(single, [image], ["sample"]));
        Assert.Contains("2 × 1 network inputs", error.Message);
    }

    [Fact]
    public void DetectTtaFindsTheSampleShapes()
    {
        var run = CliRunner.Run("detect", "--tta", BundledDetector.Sample(1));
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        int confident = doc.RootElement[0].GetProperty("detections").EnumerateArray().Count(d => d.GetProperty("score").GetDouble() >= 0.5);
        Assert.Equal(_detector.Detect(BundledDetector.Sample(1)).Detections.Count(d => d.Score >= 0.5), confident);
    }

    public void Dispose() => _detector.Dispose();
}
