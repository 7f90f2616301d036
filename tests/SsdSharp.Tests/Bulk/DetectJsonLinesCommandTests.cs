using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using SsdSharp.Bulk;
using SsdSharp.Data.Synthetic;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Bulk;

/// <summary>
/// A folder of 16 images in two subfolders, one of them corrupt, and its output from one uninterrupted
/// <c>ssd detect --format jsonl</c> run. Every run here uses batch 1, so that each image's forward pass is the
/// same whichever images a run does, and outputs of different runs can be compared byte for byte.
/// </summary>
public sealed class BulkFolder
{
    private readonly ConcurrentDictionary<int, string> _shards = new();

    public BulkFolder()
    {
        Root = Directory.CreateTempSubdirectory("ssd-bulk").FullName;
        var synth = Path.Combine(Root, "synth");
        SyntheticDataset.Generate(synth, new SyntheticDatasetOptions { Images = 15, Seed = 7, MinSide = 120, MaxSide = 220 });
        var jpegs = Directory.GetFiles(Path.Combine(synth, "JPEGImages")).Order(StringComparer.Ordinal).ToList();
        Input = Path.Combine(Root, "in");
        foreach (var (jpeg, i) in jpegs.Select((p, i) => (p, i)))
        {
            var folder = Directory.CreateDirectory(Path.Combine(Input, i < 11 ? "a" : "b")).FullName;
            File.Copy(jpeg, Path.Combine(folder, Path.GetFileName(jpeg)));
        }
        File.WriteAllBytes(Path.Combine(Input, "b", "broken.jpg"), File.ReadAllBytes(jpegs[0])[..300]);

        Reference = Path.Combine(Root, "reference.jsonl");
        var run = CliRunner.Run(Args("--output", Reference));
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    public string Root { get; }

    /// <summary>in/a/000000.jpg … in/a/000010.jpg, in/b/000011.jpg … in/b/000014.jpg and the corrupt in/b/broken.jpg.</summary>
    public string Input { get; }

    /// <summary>The output of one uninterrupted run over <see cref="Input"/>.</summary>
    public string Reference { get; }

    public string[] ReferenceLines => File.ReadAllLines(Reference);

    public static string[] Names => [.. Enumerable.Range(0, 11).Select(i => $"a/{i:D6}.jpg"), .. Enumerable.Range(11, 4).Select(i => $"b/{i:D6}.jpg"), "b/broken.jpg"];

    /// <summary><c>ssd detect --format jsonl --batch 1</c> with <paramref name="options"/> over <see cref="Input"/>.</summary>
    public string[] Args(params string[] options) => ["detect", "--format", "jsonl", "--batch", "1", .. options, Input];

    /// <summary>A new file name in a folder of its own.</summary>
    public string NewOutput() => Path.Combine(Directory.CreateTempSubdirectory("ssd-bulk-out").FullName, "out.jsonl");

    /// <summary>The output of <c>--shard INDEX/3</c>, run once.</summary>
    public string ShardOfThree(int index) => _shards.GetOrAdd(index, i =>
    {
        var output = NewOutput();
        var run = CliRunner.Run(Args("--shard", $"{i}/3", "--output", output));
        Assert.True(run.ExitCode == 0, run.Stderr);
        return File.ReadAllText(output);
    });
}

public class DetectJsonLinesCommandTests(BulkFolder folder) : IClassFixture<BulkFolder>
{
    private static string ImageOf(string line) => JsonNode.Parse(line)!["image"]!.GetValue<string>();

    [Fact]
    public void EveryImageHasALineNamedRelativeToItsFolderAndTheCorruptOneAnError()
    {
        var lines = folder.ReferenceLines;
        Assert.Equal(BulkFolder.Names, lines.Select(ImageOf));
        var broken = JsonNode.Parse(lines[^1])!.AsObject();
        Assert.Equal(["image", "error"], broken.Select(p => p.Key));
        Assert.Contains("b/000011.jpg", lines[11]);
    }

    [Fact]
    public void LinesAreTheObjectsOfTheJsonArray()
    {
        var json = CliRunner.Run("detect", "--format", "json", "--batch", "1", folder.Input);
        var array = JsonNode.Parse(json.Stdout)!.AsArray();
        foreach (var element in array)
        {
            element!["image"] = Path.GetRelativePath(folder.Input, element["image"]!.GetValue<string>());
        }
        var lines = folder.ReferenceLines.Select(l => JsonNode.Parse(l)!).Where(l => l["error"] is null).ToList();
        Assert.Equal(array.Count, lines.Count);
        Assert.All(array.Zip(lines), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second), $"{pair.First} ≠ {pair.Second}"));
    }

    [Fact]
    public void ThreeShardsGiveEveryImageExactlyOnce()
    {
        var shards = Enumerable.Range(0, 3).Select(i => folder.ShardOfThree(i).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        for (int i = 0; i < 3; i++)
        {
            Assert.NotEmpty(shards[i]);
            Assert.All(shards[i], line => Assert.Equal(i, Shard.Of(ImageOf(line), 3)));
        }
        // Byte for byte the lines of the whole run, each once; in each shard in the order of the whole run.
        Assert.Equal(folder.ReferenceLines.Order(StringComparer.Ordinal), shards.SelectMany(s => s).Order(StringComparer.Ordinal));
        Assert.All(shards, shard => Assert.Equal(folder.ReferenceLines.Where(shard.Contains), shard));
    }

    [Fact]
    public void KubernetesAndSlurmVariablesSelectTheShardsOfTheOption()
    {
        var kubernetes = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1", ["SSD_SHARD_COUNT"] = "3" };
        var slurm = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "3" };
        foreach (var environment in new[] { kubernetes, slurm })
        {
            var output = folder.NewOutput();
            var run = CliRunner.RunWith(environment, folder.Args("--output", output));
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Contains("ssd: shard 1/3 from ", run.Stderr);
            Assert.Equal(folder.ShardOfThree(1), File.ReadAllText(output));
        }
    }

    [Fact]
    public void HalfSetSchedulerVariablesAreRefusedInOneLine()
    {
        var output = folder.NewOutput();
        var run = CliRunner.RunWith(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0" }, folder.Args("--output", output));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("ssd: error: JOB_COMPLETION_INDEX is set but SSD_SHARD_COUNT is not " +
                     "(a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX; the manifest sets SSD_SHARD_COUNT to its completions)", run.Stderr.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ARunKilledPartWayAndResumedEndsAsAnUninterruptedOne()
    {
        var output = folder.NewOutput();
        using (var process = CliRunner.Start(new Dictionary<string, string>(), folder.Args("--output", output)))
        {
            var clock = Stopwatch.StartNew();
            // The output is locked while ssd writes it; its size shows the first line.
            while (!process.HasExited && !(File.Exists(output) && new FileInfo(output).Length > 0) && clock.Elapsed < TimeSpan.FromMinutes(3))
                Thread.Sleep(2);
            Assert.False(process.HasExited, "ssd finished before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        // As if the kill had also cut the line being written.
        var killed = File.ReadAllBytes(output);
        int lastLineStart = Array.LastIndexOf(killed, (byte)'\n', killed.Length - 2) + 1;
        File.WriteAllBytes(output, killed[..((lastLineStart + killed.Length) / 2)]);
        Assert.True(killed.Count(b => b == '\n') < BulkFolder.Names.Length, "the kill came after the last image");

        var resumed = CliRunner.Run(folder.Args("--resume", "--output", output));

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("dropped its incomplete last line", resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(folder.Reference), File.ReadAllBytes(output));
    }

    [Fact]
    public void ResumingAFinishedRunChangesNothing()
    {
        var output = folder.NewOutput();
        File.Copy(folder.Reference, output);
        var run = CliRunner.Run(folder.Args("--resume", "--output", output));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("0 detected, 0 unreadable, 16 done before (1 unreadable)", run.Stderr);
        Assert.Equal(File.ReadAllBytes(folder.Reference), File.ReadAllBytes(output));
    }

    [Fact]
    public void AnExistingOutputWithoutResumeIsRefusedAndLeftAlone()
    {
        var output = folder.NewOutput();
        File.WriteAllText(output, "{\"image\":\"x.jpg\",\"error\":\"earlier\"}\n");
        var run = CliRunner.Run(folder.Args("--output", output));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ssd: error: {output}: exists already; --resume continues it (skipping the images it has), or choose another --output", run.Stderr.Trim());
        Assert.Equal("{\"image\":\"x.jpg\",\"error\":\"earlier\"}\n", File.ReadAllText(output));
    }

    [Fact]
    public void FailOnErrorMakesAnUnreadableImageExitWith2()
    {
        var output = folder.NewOutput();
        var run = CliRunner.Run("detect", "--format", "jsonl", "--fail-on-error", "--output", output, Path.Combine(folder.Input, "b"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{Path.Combine(folder.Input, "b", "broken.jpg")}: ", run.Stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal(["000011.jpg", "000012.jpg", "000013.jpg", "000014.jpg", "broken.jpg"], lines.Select(ImageOf));
        Assert.Contains("\"error\":", lines[^1]);

        // The error line is the image's result: without the option the job is done, with it, it still failed.
        Assert.Equal(0, CliRunner.Run("detect", "--format", "jsonl", "--resume", "--output", output, Path.Combine(folder.Input, "b")).ExitCode);
        Assert.Equal(2, CliRunner.Run("detect", "--format", "jsonl", "--resume", "--fail-on-error", "--output", output, Path.Combine(folder.Input, "b")).ExitCode);
    }

    [Fact]
    public void WithoutOutputTheLinesGoToStandardOutput()
    {
        var run = CliRunner.Run(folder.Args());
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(File.ReadAllText(folder.Reference), run.Stdout);
    }

    [Theory]
    [InlineData("--shard needs --format jsonl", "--shard", "0/2")]
    [InlineData("--resume needs --format jsonl", "--resume")]
    [InlineData("--fail-on-error needs --format jsonl", "--fail-on-error")]
    public void JsonLinesOptionsNeedThatFormat(string expected, params string[] options)
    {
        var run = CliRunner.Run(["detect", .. options, folder.Input]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ssd: error: {expected}", run.Stderr.Trim());
    }

    [Theory]
    [InlineData("ssd: error: --resume needs --output FILE", "--resume")]
    [InlineData("ssd: error: --shard: expected INDEX/COUNT with 0 ≤ INDEX < COUNT (e.g. 0/4), got '3/3'", "--shard", "3/3")]
    public void WrongJsonLinesOptionsAreRefusedInOneLine(string expected, params string[] options)
    {
        var run = CliRunner.Run(folder.Args(options));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Stderr.Trim());
    }
}
