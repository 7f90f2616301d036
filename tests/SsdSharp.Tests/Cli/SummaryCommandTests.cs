using System.Text.Json;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

public class SummaryCommandTests
{
    [Theory]
    [InlineData("voc300", 8732, new[] { "[1, 512, 38, 38]", "[1, 1024, 19, 19]", "[1, 512, 10, 10]", "[1, 256, 5, 5]", "[1, 256, 3, 3]", "[1, 256, 1, 1]" })]
    [InlineData("voc512", 24564, new[] { "[1, 512, 64, 64]", "[1, 1024, 32, 32]", "[1, 256, 1, 1]" })]
    public void TextShowsSourceShapesAndTotalPriors(string config, int priors, string[] shapes)
    {
        var result = CliRunner.Run("summary", "--config", config);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"default boxes: {priors}", result.Stdout);
        foreach (var shape in shapes) Assert.Contains(shape, result.Stdout);
    }

    [Fact]
    public void JsonGivesSourcesParametersAndMacs()
    {
        var result = CliRunner.Run("summary", "--config", "voc300", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.Equal(8732, root.GetProperty("total_priors").GetInt32());
        Assert.Equal(6, root.GetProperty("sources").GetArrayLength());
        Assert.Equal(new long[] { 1, 1024, 19, 19 }, root.GetProperty("sources")[1].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        // SPEC §1: about 26.3 M parameters and 31.4 GMACs for 21 classes.
        Assert.InRange(root.GetProperty("total_parameters").GetInt64(), 26_200_000, 26_400_000);
        Assert.InRange(root.GetProperty("total_multiply_accumulates").GetInt64(), 31_300_000_000, 31_500_000_000);
    }

    [Fact]
    public void ClassesOptionChangesTheHeads()
    {
        var result = CliRunner.Run("summary", "--config", "voc300", "--classes", "80", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(81, doc.RootElement.GetProperty("classes").GetInt32());
    }

    [Fact]
    public void UnknownConfigIsOneLineAndNonZero()
    {
        var result = CliRunner.Run("summary", "--config", "voc301");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("voc301", result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
    }
}
