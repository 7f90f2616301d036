using SsdSharp.Configuration;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// <c>ssd summary --diagram</c> is checked like every output: never the configuration it reads (<c>--config cfgd.svg
/// --diagram cfgd.svg</c> replaced it), and a folder, or a path through a file, is one line rather than exit code 3.
/// </summary>
public sealed class SummaryDiagramOutputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheDiagramNeverReplacesTheConfigurationAndNeedsAFilePath()
    {
        var config = _temp.Path("cfgd.svg");
        SsdPresets.TryGet("shapes300", out var preset);
        preset!.Save(config);
        var file = _temp.Write("a file", "afile");
        var folder = _temp.Folder("afolder");
        var hashes = FileHashes.Of(config, file);
        CliAssert.OneLineError(CliRunner.Run("summary", "--config", config, "--diagram", config), $"--diagram {config}: is an input of this command");
        CliAssert.OneLineError(CliRunner.Run("summary", "--diagram", folder), $"--diagram {folder}: is a folder; expected a file path");
        CliAssert.OneLineError(CliRunner.Run("summary", "--diagram", Path.Combine(file, "x.svg")), $"--diagram {Path.Combine(file, "x.svg")}: {file} is a file, not a folder");
        hashes.AssertUnchanged();
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
