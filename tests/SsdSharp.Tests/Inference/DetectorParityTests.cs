using SsdSharp.Inference;
using SsdSharp.Tests.Infrastructure;
using static TorchSharp.torch;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Inference;

[Collection(ReferenceModelCollection.Name)]
public class DetectorParityTests(ReferenceModel reference)
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");

    [Fact]
    public void PreprocessedImageEqualsTheReferenceInput()
    {
        var expected = Fixtures.LoadTensors("ssd300_voc300_seed0_image11_outputs.safetensors")["input"];
        using var actual = tensor(reference.Detector.Preprocess([RgbImage.Decode(Image)]), [3, 300, 300]);
        TensorAssert.Close(expected, actual, atol: 1e-6, what: "preprocessed input");
    }

    [Fact]
    public void EndToEndDetectionsMatchTheReferenceList()
    {
        var result = reference.Detector.Detect([RgbImage.Decode(Image)], ["image_11"])[0];
        var expected = ReferenceDetections.Load();
        // The public result is in pixels and clipped; the reference's is normalised and unclipped, so
        // compare only boxes that lie inside the image, where clipping changes nothing.
        var inside = expected.Where(d => d.X1 >= 0 && d.Y1 >= 0 && d.X2 <= 1 && d.Y2 <= 1).ToList();
        var ours = result.Detections.Select(d => new NormalizedDetection(d.ClassId, d.Score, d.Box.X1 / 300, d.Box.Y1 / 300, d.Box.X2 / 300, d.Box.Y2 / 300))
            .Where(d => d.X1 > 0 && d.Y1 > 0 && d.X2 < 1 && d.Y2 < 1).ToList();
        Assert.True(inside.Count > 500, $"only {inside.Count} reference boxes inside the image");
        Assert.Equal(expected.Count, result.Detections.Count);
        ReferenceDetections.AssertMatch(inside, ours, threshold: 0.01);
    }

    [Fact]
    public void PublicResultIsSortedByScoreAndClippedToTheImage()
    {
        var result = reference.Detector.Detect(Image);
        Assert.Equal(300, result.Width);
        Assert.Equal(300, result.Height);
        Assert.Equal(result.Detections.Select(d => d.Score).OrderDescending(), result.Detections.Select(d => d.Score));
        Assert.All(result.Detections, d =>
        {
            Assert.InRange(d.Box.X1, 0, 300);
            Assert.InRange(d.Box.X2, d.Box.X1, 300);
            Assert.InRange(d.Box.Y1, 0, 300);
            Assert.InRange(d.Box.Y2, d.Box.Y1, 300);
            Assert.Equal(SsdSharp.Configuration.SsdPresets.VocClasses[d.ClassId - 1], d.Label);
        });
    }

    [Fact]
    public void BatchOfTwoGivesTheSameAsOneByOne()
    {
        using var bitmap = SsdSharp.Imaging.ImageDecoder.Decode(Image);
        using var flipped = new SkiaSharp.SKBitmap(bitmap.Info);
        using (var canvas = new SkiaSharp.SKCanvas(flipped))
        {
            canvas.Scale(-1, 1, 150, 0);
            canvas.DrawBitmap(bitmap, 0, 0);
        }
        var batch = reference.Detector.Detect([bitmap, flipped]);
        var single = reference.Detector.Detect(flipped);
        Assert.Equal(single.Detections.Count, batch[1].Detections.Count);
        Assert.Equal(single.Detections.Take(20).Select(d => d.ClassId), batch[1].Detections.Take(20).Select(d => d.ClassId));
        Assert.Equal(single.Detections[0].Score, batch[1].Detections[0].Score, 4);
        Assert.NotEqual(batch[0].Detections[0].Box, batch[1].Detections[0].Box);
    }

    [Fact]
    public void RepeatedDetectionDoesNotLeakTensors()
    {
        var image = RgbImage.Decode(Image);
        reference.Detector.Detect([image], ["warm-up"]);
        long before = CountLive();
        for (int i = 0; i < 3; i++) reference.Detector.Detect([image], ["again"]);
        Assert.Equal(before, CountLive());
    }

    private static long CountLive()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
    }
}
