using System.Text.Json;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Tests.Evaluation;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Cli;

/// <summary><c>ssd detect</c> and <c>ssd convert</c> with torchvision's fixture checkpoint and no <c>--config</c>.</summary>
public class TorchvisionCommandTests
{
    private static readonly string Checkpoint = Fixtures.SharedTorchvisionCheckpoint()
        ?? throw new InvalidOperationException("../shared/fixtures/torchvision/tv_ssd300_vgg16_seed0_fp16.pth is absent");

    private static readonly string Image = Fixtures.TorchvisionFile("tv_image_13.png");

    private static List<Detection> Detections(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var image = doc.RootElement[0];
        Assert.Equal(500, image.GetProperty("width").GetInt32());
        Assert.Equal(360, image.GetProperty("height").GetInt32());
        return image.GetProperty("detections").EnumerateArray().Select(d =>
        {
            var b = d.GetProperty("box").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
            return new Detection(d.GetProperty("class_id").GetInt32(), d.GetProperty("label").GetString()!, (float)d.GetProperty("score").GetDouble(),
                new PixelBox(b[0], b[1], b[2], b[3]));
        }).ToList();
    }

    [Fact]
    public void DetectGivesTorchvisionsDetectionsWithoutAConfig()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, Image);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var detections = Detections(result.Stdout);
        TorchvisionDetections.AssertMatch(TorchvisionDetections.Load(), detections);
        Assert.All(detections, d => Assert.Equal($"class{d.ClassId}", d.Label));
    }

    [Fact]
    public void OptionsOverrideTheModelsPostProcessingDefaults()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--backend", "libtorch", "--conf-threshold", "0.5", "--max-detections", "5", Image);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var detections = Detections(result.Stdout);
        Assert.Equal(5, detections.Count);
        Assert.All(detections, d => Assert.True(d.Score > 0.5));
    }

    [Fact]
    public void ConvertNeedsNoConfigAndEmbedsTorchvision300()
    {
        var model = Path.Combine(Directory.CreateTempSubdirectory("ssd-tv").FullName, "tv.safetensors");
        var result = CliRunner.Run("convert", "--from", Checkpoint, "--output", model);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var (config, _) = ModelFile.Load(model);
        Assert.Equal("torchvision300", config.Name);
        Assert.Equal(21, config.NumClasses);
        Assert.Equal(400, config.Detection!.TopK);
        // A cache of its own: the export is made by this build, whatever auto picks.
        using var detector = SsdDetector.Load(model, new DetectorOptions { CacheDirectory = Path.GetDirectoryName(model) });
        TorchvisionDetections.AssertMatch(TorchvisionDetections.Load(), detector.Detect(Image).Detections);
    }

    [Fact]
    public void EvalRunsTheCheckpointOverASplitWithClassNamesFromAConfig()
    {
        // Two images of the golden evaluation case, and the checkpoint's 20 classes named after its shapes.
        var root = CaseA.VocRootWith("030001", "030003");
        var config = Path.Combine(root, "tv-shapes.json");
        (SsdPresets.Torchvision300 with
        {
            ClassNames = [.. SsdPresets.ShapeClasses, .. Enumerable.Range(6, 15).Select(i => $"unused{i}")],
        }).Save(config);

        var result = CliRunner.Run("eval", "--data", "VOC:" + root, "--weights", Checkpoint, "--config", config, "--backend", "libtorch", "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal(20, report.RootElement.GetProperty("per_class").EnumerateObject().Count());
    }

    [Fact]
    public void ExportedCheckpointDetectsTorchvisionsDetectionsOnOnnxRuntime()
    {
        // The graph decodes with torchvision's coder (size offsets bounded, boxes clipped before NMS) and the
        // metadata carries torchvision300 with its preprocessing and post-processing (400 candidates per class).
        var onnx = Path.Combine(Directory.CreateTempSubdirectory("ssd-tv-onnx").FullName, "tv.onnx");
        var export = CliRunner.Run("export", "--weights", Checkpoint, "--output", onnx);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("torchvision300, 21 classes", export.Stderr);
        var result = CliRunner.Run("detect", "--weights", onnx, Image);
        Assert.True(result.ExitCode == 0, result.Stderr);
        TorchvisionDetections.AssertMatch(TorchvisionDetections.Load(), Detections(result.Stdout));
    }

    [Fact]
    public void ConfigOfAnotherNetworkIsRefusedInOneLine()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", Image);
        CliAssert.OneLineError(result, $"{Checkpoint}: a torchvision checkpoint runs with torchvision300's network", "config 'voc300' differs in min_sizes");
    }
}
