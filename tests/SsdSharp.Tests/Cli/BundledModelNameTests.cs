using System.Text.Json;
using SsdSharp.Data.Synthetic;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary><c>--weights NAME</c> and <c>--init NAME</c> for the models bundled with ssd, whose folder users of the tool do not know.</summary>
public class BundledModelNameTests
{
    private static readonly string Sample = BundledDetector.Sample(1);

    [Fact]
    public void WeightsNamesABundledModel()
    {
        var byDefault = CliRunner.Run("detect", Sample);
        var shapes300 = CliRunner.Run("detect", "--weights", "shapes300", Sample);
        var shapes512 = CliRunner.Run("detect", "--weights", "shapes512", Sample);
        Assert.True(shapes512.ExitCode == 0, shapes512.Stderr);
        Assert.Equal(byDefault.Stdout, shapes300.Stdout);
        // The README's sample holds seven shapes; shapes300 scores the 12-px star at the bottom 0.14, shapes512 0.77.
        Assert.Equal(6, Confident(shapes300).Count);
        var found = Confident(shapes512);
        Assert.Equal(7, found.Count);
        Assert.Contains(found, d => d.Label == "star" && d.Width < 40);
    }

    [Fact]
    public void AnUnknownNameIsOneLine()
    {
        CliAssert.OneLineError(CliRunner.Run("detect", "--weights", "shapes999", Sample), "--weights", "shapes999", "shapes300, shapes512");
        using var output = new TempFolder();
        CliAssert.OneLineError(CliRunner.Run("train", "--init", "shapes999", "--config", "shapes512", "--data", $"VOC:{output.Root}", "--out", output.Root),
            "--init", "shapes999");
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Root));
    }

    [Fact]
    public void InitStartsFromABundledModelByName()
    {
        using var temp = new TempFolder();
        SyntheticDataset.Generate(temp.Path("data"), new SyntheticDatasetOptions { Images = 10, Seed = 1 });
        var run = CliRunner.Run("train", "--init", "shapes300", "--config", "shapes512", "--data", $"VOC:{temp.Path("data")}", "--out", temp.Path("run"),
            "--iterations", "1", "--batch", "2", "--workers", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("loaded 81 of the network's 81 tensors", run.Stdout + run.Stderr);
    }

    private static List<(string Label, double Width)> Confident(CliRunner.Result result)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        return
        [
            .. doc.RootElement[0].GetProperty("detections").EnumerateArray()
                .Where(d => d.GetProperty("score").GetDouble() >= 0.5)
                .Select(d => (d.GetProperty("label").GetString()!, d.GetProperty("box")[2].GetDouble() - d.GetProperty("box")[0].GetDouble())),
        ];
    }
}
