using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Inference;

/// <summary>The torchvision fixture (../shared/fixtures/torchvision/README.md) at the tolerances its README states.</summary>
[Collection(TorchvisionModelCollection.Name)]
public class TorchvisionParityTests(TorchvisionModel model)
{
    private static readonly string Image = Fixtures.TorchvisionFile("tv_image_13.png");

    private static Dictionary<string, Tensor> Outputs() => Fixtures.LoadTensorsFrom(Fixtures.TorchvisionFile("tv_ssd300_seed0_image13_outputs.safetensors"));

    [Fact]
    public void CheckpointIsRecognisedAsTorchvision300WithTheClassCountOfItsHead()
    {
        var config = model.Detector.Config;
        Assert.Equal("torchvision300", config.Name);
        Assert.Equal(21, config.NumClasses);
        Assert.Equal(DetectionOptions.For(SsdPresets.Torchvision300), model.Detector.Detection);
        Assert.Equal(400, model.Detector.Detection.TopK);
    }

    [Fact]
    public void DefaultBoxesEqualTorchvisionsAnchorsInPixels()
    {
        var anchors = Outputs()["anchors"];
        var boxes = DefaultBoxes.For(SsdPresets.Torchvision300);
        var corners = new float[boxes.CenterForm.Length];
        for (int i = 0; i < corners.Length; i += 4)
        {
            float cx = boxes.CenterForm[i], cy = boxes.CenterForm[i + 1], w = boxes.CenterForm[i + 2], h = boxes.CenterForm[i + 3];
            corners[i] = (cx - 0.5f * w) * 300;
            corners[i + 1] = (cy - 0.5f * h) * 300;
            corners[i + 2] = (cx + 0.5f * w) * 300;
            corners[i + 3] = (cy + 0.5f * h) * 300;
        }
        using var ours = tensor(corners, [boxes.Count, 4]);
        TensorAssert.Close(anchors, ours, atol: 1e-4, what: "default boxes (px)");
    }

    [Fact]
    public void PreprocessedImageEqualsTorchvisionsTransform()
    {
        using var actual = tensor(model.Detector.Preprocess([RgbImage.Decode(Image)]), [3, 300, 300]);
        TensorAssert.Close(Outputs()["input"], actual, atol: 1e-4, what: "preprocessed input");
    }

    [Fact]
    public void HeadOutputsMatchTorchvisions()
    {
        var outputs = Outputs();
        using var _ = no_grad();
        var (loc, conf) = model.Network.forward(outputs["input"].unsqueeze(0));
        TensorAssert.Close(outputs["bbox_regression"], loc[0], rtol: 1e-4, atol: 1e-4, what: "bbox_regression");
        TensorAssert.Close(outputs["cls_logits"], conf[0], rtol: 1e-4, atol: 1e-4, what: "cls_logits");
    }

    [Fact]
    public void DetectionsMatchTorchvisionsInPixelsOfTheOriginalImage()
    {
        var result = model.Detector.Detect(Image);
        Assert.Equal((500, 360), (result.Width, result.Height));
        TorchvisionDetections.AssertMatch(TorchvisionDetections.Load(), result.Detections);
    }
}
