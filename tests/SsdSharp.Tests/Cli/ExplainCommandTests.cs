using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

public sealed class ExplainCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ssd-explain").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertOneLineError(CliRunner.Result result, string mentions)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains(mentions, result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
    }

    [Fact]
    public void SummaryDrawsTheDiagram()
    {
        var file = Path.Combine(_directory, "voc512.svg");
        var result = CliRunner.Run("summary", "--config", "voc512", "--diagram", file);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("default boxes: 24564", result.Stdout);
        var svg = File.ReadAllText(file);
        Assert.Contains(">24,564 detections per class<", svg);
        Assert.Contains(">64×64 × 4 = 16,384 boxes<", svg);
    }

    [Fact]
    public void SummaryRefusesAnotherDiagramFormat() =>
        AssertOneLineError(CliRunner.Run("summary", "--diagram", Path.Combine(_directory, "d.gif")), "d.gif");

    [Fact]
    public void PriorsWritesOnePicturePerSource()
    {
        var result = CliRunner.Run("explain", "priors", "--config", "shapes300", "--out", _directory);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Enumerable.Range(0, 6).Select(k => $"priors-{k}.png"), Directory.GetFiles(_directory, "*.png").Select(Path.GetFileName).Order());
    }

    [Fact]
    public void MatchOnASyntheticImageWithHardNegatives()
    {
        var data = Path.Combine(_directory, "shapes");
        Assert.Equal(0, CliRunner.Run("synth", "--out", data, "--images", "4", "--seed", "5").ExitCode);
        var id = File.ReadLines(Path.Combine(data, "ImageSets", "Main", "trainval.txt")).First();
        var model = BundledDetector.ModelPath;
        var pictures = Path.Combine(_directory, "pictures");
        var result = CliRunner.Run("explain", "match", "--data", "VOC:" + data, "--id", id, "--weights", model, "--out", pictures);
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(pictures, $"match-{id}.png")));
        Assert.Contains("positive priors:", result.Stdout);
        Assert.Contains("hard negatives (3:1 mining):", result.Stdout);

        AssertOneLineError(CliRunner.Run("explain", "match", "--config", "shapes300", "--data", "VOC:" + data, "--id", "nope", "--out", pictures), "'nope'");
    }

    /// <summary>explain detect used NMS at 0.45 whatever the model, where ssd detect uses the model's (shapes512: 0.5).</summary>
    [Theory]
    [InlineData("shapes300", new string[0], "top 200 per class) before NMS at 0.45,")]
    [InlineData("shapes512", new string[0], "top 200 per class) before NMS at 0.5,")]
    [InlineData("shapes512", new[] { "--nms-threshold", "0.6", "--top-k", "50" }, "top 50 per class) before NMS at 0.6,")]
    public void DetectExplainsTheModelsOwnPostProcessingUnlessTold(string model, string[] options, string settings)
    {
        var result = CliRunner.Run(["explain", "detect", "--weights", model, "--out", _directory, .. options, Fixtures.ReferenceFile("image_11.png")]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("candidates (score > 0.3, " + settings, result.Stdout);
    }

    [Fact]
    public void DetectRefusesAMissingImage() =>
        AssertOneLineError(CliRunner.Run("explain", "detect", Path.Combine(_directory, "missing.jpg"), "--out", _directory), "missing.jpg");
}
