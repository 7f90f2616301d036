namespace SsdSharp.Tests.Infrastructure;

/// <summary>What a refused command line looks like: exit code 2 and one line on stderr naming the input.</summary>
internal static class CliAssert
{
    /// <summary>
    /// Asserts exit code 2 and exactly one line on stderr, <c>ssd: error: …</c>, containing each of
    /// <paramref name="parts"/> (the input it names, the limit); returns that line.
    /// </summary>
    public static string OneLineError(CliRunner.Result result, params string[] parts)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, expected 2; stderr:\n{result.Stderr}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{result.Stderr}");
        Assert.StartsWith("ssd: error: ", lines[0]);
        foreach (var part in parts) Assert.Contains(part, lines[0]);
        return lines[0];
    }
}
