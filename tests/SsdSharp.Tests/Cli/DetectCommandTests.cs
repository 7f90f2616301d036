using System.Text.Json;
using SsdSharp.Configuration;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

public class DetectCommandTests
{
    private static readonly string Checkpoint = Fixtures.SharedCheckpoint()!;
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");

    [Fact]
    public void PthWithConfigGivesSortedJsonAndDrawsTheImage()
    {
        var drawDir = Directory.CreateTempSubdirectory("ssd-draw").FullName;
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", "--max-detections", "10", "--draw", drawDir, Image);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        var image = doc.RootElement[0];
        Assert.Equal(300, image.GetProperty("width").GetInt32());
        var detections = image.GetProperty("detections").EnumerateArray().ToList();
        Assert.Equal(10, detections.Count);
        var scores = detections.Select(d => d.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(detections, d => Assert.Equal(4, d.GetProperty("box").GetArrayLength()));
        Assert.True(File.Exists(Path.Combine(drawDir, "image_11.png")));
    }

    [Fact]
    public void DrawThresholdThinsTheDrawingAndLeavesTheOutputAlone()
    {
        string all = Directory.CreateTempSubdirectory("ssd-draw-all").FullName, top = Directory.CreateTempSubdirectory("ssd-draw-top").FullName;
        var everything = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", "--max-detections", "10", "--draw", all, Image);
        var thinned = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", "--max-detections", "10", "--draw", top, "--draw-threshold", "1", Image);
        Assert.True(thinned.ExitCode == 0, thinned.Stderr);
        Assert.Equal(everything.Stdout, thinned.Stdout);
        // No detection scores 1, so the thinned drawing is the plain image: it differs from the full one.
        using var doc = JsonDocument.Parse(thinned.Stdout);
        Assert.All(doc.RootElement[0].GetProperty("detections").EnumerateArray(), d => Assert.True(d.GetProperty("score").GetDouble() < 1));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(all, "image_11.png")), File.ReadAllBytes(Path.Combine(top, "image_11.png")));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    public void DrawThresholdOutsideZeroToOneIsRefused(string value)
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", "--draw", Path.GetTempPath(), "--draw-threshold", value, Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"ssd: error: --draw-threshold: must be in [0, 1], got {value}; see 'ssd detect --help'", result.Stderr.Trim());
    }

    [Fact]
    public void DrawThresholdWithoutDrawIsRefused()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", "--draw-threshold", "0.5", Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--draw-threshold needs --draw", result.Stderr);
    }

    [Fact]
    public void TruncatedImageIsNamedInOneLine()
    {
        var truncated = Path.Combine(Directory.CreateTempSubdirectory("ssd-trunc").FullName, "broken.png");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Image).Take(400).ToArray());
        // libtorch named: auto would first time the backends on this full-size network, minutes on a busy machine.
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", "--backend", "libtorch", truncated);
        CliAssert.OneLineError(result, $"{truncated}: ", "truncated");
    }

    [Fact]
    public void PthWithoutConfigIsRefused()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, Image);
        CliAssert.OneLineError(result, $"{Checkpoint}: an ssd.pytorch checkpoint needs a configuration (--config voc300");
    }

    [Fact]
    public void ClassCountMismatchIsReported()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "coco300", Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("21 classes", result.Stderr);
    }

    /// <summary>A configuration of another network over the bundled model: the bundled file was blamed ("does not fit the network").</summary>
    [Fact]
    public void AConfigurationOfAnotherNetworkOverTheBundledModelIsNamed()
    {
        using var temp = new TempFolder();
        var config = temp.Path("cfg3.json");
        (SsdPresets.Shapes300 with { Name = "three", ClassNames = ["circle", "square", "star"] }).Save(config);
        var result = CliRunner.Run("detect", "--config", config, "--backend", "onnxruntime", Image);
        CliAssert.OneLineError(result, "the model is shapes300 (300 px, 8732 default boxes, 5 class names); config 'three' describes another network");
    }
}
