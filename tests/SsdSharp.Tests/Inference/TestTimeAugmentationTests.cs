using System.Text.Json;
using SsdSharp.Boxes;
using SsdSharp.Data.Synthetic;
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
    private readonly SsdDetector _detector = BundledDetector.Load("shapes300", testTimeAugmentation: true);

    private static RgbImage Mirror(RgbImage image)
    {
        var mirrored = new AugmentedImage(image);
        mirrored.Mirror();
        return mirrored.ToRgbImage();
    }

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
        var mirrored = bundled.Detector.Detect([Mirror(image)], ["mirror"])[0].Detections.Select(d => d with { Box = d.Box.MirroredIn(image.Width) }).ToList();
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
            var twin = Match(ofMirror, d.Label, d.Box.MirroredIn(image.Width));
            Assert.True(twin is not null, $"{d.Label} {d.Score:F3} at {d.Box} has no mirrored twin");
            Assert.Equal(d.Score, twin.Score, 1e-3);
            Assert.True(PixelBox.Iou(twin.Box.MirroredIn(image.Width), d.Box) > 0.99, $"{d.Box} against {twin.Box} mirrored");
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
    public void ImagesOfABatchAreFusedEachWithItsOwnMirror()
    {
        string[] paths = [BundledDetector.Sample(1), BundledDetector.Sample(2)];
        var images = paths.Select(RgbImage.Decode).ToArray();
        var together = _detector.Detect(images, paths);
        for (int i = 0; i < images.Length; i++)
        {
            var alone = _detector.Detect([images[i]], [paths[i]])[0].Detections.Where(d => d.Score >= 0.05).ToList();
            Assert.NotEmpty(alone);
            foreach (var d in alone)
            {
                var twin = Match(together[i].Detections, d.Label, d.Box);
                Assert.True(twin is not null, $"image {i}: {d.Label} {d.Score:F3} at {d.Box} not found in the batch of two");
                Assert.Equal(d.Score, twin.Score, 1e-3);
            }
        }
    }

    [Fact]
    public void ADetectionAndItsScoreDoNotDependOnTheThreshold()
    {
        // A view's box scored at or below the threshold may still lift the fused score above it. Measured with shapes300:
        // a circle of the first sample scores 0.048 alone and 0.506 mirrored (fused 0.277), one of the third 0.984 and
        // 0.837 (fused 0.91); a per-view threshold of t would lose the first at 0.25 and the second at 0.9. shapes512 is
        // here for a second network (the preset's run of it had such a circle at 0.5).
        using var shapes512 = BundledDetector.Load("shapes512", testTimeAugmentation: true);
        foreach (var detector in new[] { _detector, shapes512 })
        {
            foreach (int sample in new[] { 1, 2, 3 })
            {
                var image = RgbImage.Decode(BundledDetector.Sample(sample));
                detector.Detection = detector.Detection with { ConfidenceThreshold = 0.01 };
                var all = detector.Detect([image], ["low"])[0].Detections;
                foreach (double threshold in new[] { 0.25, 0.5, 0.9 })
                {
                    detector.Detection = detector.Detection with { ConfidenceThreshold = threshold };
                    var confident = detector.Detect([image], ["high"])[0].Detections;
                    Assert.Equal(all.Where(d => d.Score > threshold).Select(d => (d.Label, d.Score, d.Box)), confident.Select(d => (d.Label, d.Score, d.Box)));
                }
            }
        }
    }

    [Fact]
    public void TheCapTakesTheBestFusedDetections()
    {
        var image = RgbImage.Decode(BundledDetector.Sample(2));
        var all = _detector.Detect([image], ["all"])[0].Detections;
        _detector.Detection = _detector.Detection with { MaxDetections = 3 };
        Assert.True(all.Count > 3, $"{all.Count} detections");
        Assert.Equal(all.Take(3), _detector.Detect([image], ["capped"])[0].Detections);
    }

    [Fact]
    public void ClassAgnosticFusionLeavesOneLabelPerObject()
    {
        var image = RgbImage.Decode(BundledDetector.Sample(1));
        static double MostOverlap(IReadOnlyList<Detection> ds) =>
            ds.SelectMany((a, i) => ds.Skip(i + 1).Select(b => PixelBox.Iou(a.Box, b.Box))).DefaultIfEmpty(0).Max();
        var perClass = _detector.Detect([image], ["per class"])[0].Detections;
        _detector.Detection = _detector.Detection with { ClassAgnostic = true };
        var agnostic = _detector.Detect([image], ["agnostic"])[0].Detections;
        // Per class, boxes of other classes sit on each object; over all classes, one box per object stays.
        Assert.True(MostOverlap(perClass) > 0.8, $"per class: {MostOverlap(perClass):F2}");
        Assert.True(MostOverlap(agnostic) < 0.7, $"class-agnostic: {MostOverlap(agnostic):F2}");
    }

    [Fact]
    public void DetectAndEvalTtaGiveTheFusedDetections()
    {
        using var temp = new TempFolder();
        SyntheticDataset.Generate(temp.Path("data"), new SyntheticDatasetOptions { Images = 20, Seed = 4 });
        string first = temp.Path($"data/JPEGImages/{File.ReadLines(temp.Path("data/ImageSets/Main/test.txt")).First()}.jpg");
        var detect = CliRunner.Run("detect", "--tta", "--backend", "libtorch", first);
        var plain = CliRunner.Run("detect", "--backend", "libtorch", first);
        var eval = CliRunner.Run("eval", "--tta", "--backend", "libtorch", "--data", "VOC:" + temp.Path("data"), "--split", "test",
            "--save-detections", temp.Path("eval.json"));
        Assert.True(detect.ExitCode == 0 && plain.ExitCode == 0 && eval.ExitCode == 0, detect.Stderr + plain.Stderr + eval.Stderr);
        var library = _detector.Detect(first).Detections;
        var fromDetect = Scores(JsonDocument.Parse(detect.Stdout).RootElement[0]);
        Assert.Equal(library.Select(d => d.Score), fromDetect, (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.NotEqual(Scores(JsonDocument.Parse(plain.Stdout).RootElement[0]), fromDetect);
        var saved = JsonDocument.Parse(File.ReadAllText(temp.Path("eval.json"))).RootElement.EnumerateArray()
            .Single(i => Path.GetFileName(i.GetProperty("image").GetString()) == Path.GetFileName(first));
        Assert.Equal(fromDetect.Where(s => s > 0.1f), Scores(saved).Where(s => s > 0.1f), (a, b) => Math.Abs(a - b) < 1e-4);
    }

    private static float[] Scores(JsonElement image) =>
        [.. image.GetProperty("detections").EnumerateArray().Select(d => d.GetProperty("score").GetSingle())];

    public void Dispose() => _detector.Dispose();
}
