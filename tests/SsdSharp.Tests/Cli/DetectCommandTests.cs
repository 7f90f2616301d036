using System.Text.Json;
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
    public void TruncatedImageIsNamedInOneLine()
    {
        var truncated = Path.Combine(Directory.CreateTempSubdirectory("ssd-trunc").FullName, "broken.png");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Image).Take(400).ToArray());
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "voc300", truncated);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("broken.png", result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
    }

    [Fact]
    public void PthWithoutConfigIsRefused()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config", result.Stderr);
    }

    [Fact]
    public void ClassCountMismatchIsReported()
    {
        var result = CliRunner.Run("detect", "--weights", Checkpoint, "--config", "coco300", Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("21 classes", result.Stderr);
    }
}
