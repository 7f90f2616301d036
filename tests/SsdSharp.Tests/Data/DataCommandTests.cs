using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Data;

/// <summary><c>ssd synth</c> and <c>ssd dataset stats</c> through the real executable.</summary>
public class DataCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ssd-cli-data-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Synth_then_stats_with_drawings()
    {
        var data = Path.Combine(_root, "shapes");
        var synth = CliRunner.Run("synth", "--out", data, "--images", "10", "--seed", "4");
        Assert.Equal(0, synth.ExitCode);
        Assert.Contains("Wrote 10 images", synth.Stdout);
        Assert.Contains("train 7, val 1, test 2, trainval 8", synth.Stdout);

        var drawn = Path.Combine(_root, "drawn");
        var stats = CliRunner.Run("dataset", "stats", "--data", $"COCO:{data}/instances_trainval.json", "--config", "shapes300", "--draw", "3", "--out", drawn);
        Assert.Equal(0, stats.ExitCode);
        Assert.Contains("8 images", stats.Stdout);
        Assert.Contains("No problems found.", stats.Stdout);
        Assert.Contains("hexagon", stats.Stdout);
        Assert.Equal(3, Directory.GetFiles(drawn, "*.png").Length);
    }

    [Fact]
    public void Stats_reports_problems_and_fail_policy_stops()
    {
        using var data = new TempDataset();
        data.WriteImage("a", 100, 80);
        data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"), ("circle", "31", "11", "21", "31"));
        data.WriteSplit("trainval", "a");

        var fix = CliRunner.Run("dataset", "stats", "--data", $"VOC:{data.Root}");
        Assert.Equal(0, fix.ExitCode);
        Assert.Contains("1 problems: 1 objects skipped", fix.Stdout);
        Assert.Contains("a.xml: object[1]: 'circle': inverted box", fix.Stdout);

        var fail = CliRunner.Run("dataset", "stats", "--data", $"VOC:{data.Root}", "--policy", "fail");
        Assert.Equal(2, fail.ExitCode);
        Assert.Contains("ssd: error: ", fail.Stderr);
        Assert.Contains("a.xml: object[1]: 'circle': inverted box (30, 10, 20, 30)", fail.Stderr);
    }

    [Theory]
    [InlineData("dataset stats --data /nowhere", "dataset '/nowhere': no format prefix")]
    [InlineData("dataset stats --data VOC:/nowhere", "VOC root '/nowhere': directory not found")]
    [InlineData("dataset stats --data VOC:/tmp --policy lenient", "--policy: 'lenient' is not one of fix, skip-object, skip-image, fail")]
    [InlineData("dataset stats --data VOC:/nowhere --out /tmp/never", "--out is the folder of --draw N's drawings: give --draw N too")]
    [InlineData("dataset stats --data VOC:/nowhere --classes ,", "--classes ',' has an empty item (two commas, or one at an end): expected class names separated by commas")]
    [InlineData("synth --out /tmp/never --images 1 --classes circle,oval", "unknown shape 'oval'")]
    [InlineData("synth --out /tmp/never --images 0", "--images: must be in [1, 1000000], got 0")]
    public void Bad_input_is_one_line_with_exit_code_2(string args, string message)
    {
        var result = CliRunner.Run(args.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Unknown_class_lists_the_known_ones()
    {
        var result = CliRunner.Run("dataset", "stats", "--data", "VOC:" + Path.Combine(DataFixtures.CaseA(), "voc"), "--split", "test", "--classes", "Circle,Square");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown class", result.Stderr);
        Assert.Contains("known classes: Circle, Square", result.Stderr);
    }
}
