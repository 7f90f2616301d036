using System.Text;
using System.Text.RegularExpressions;
using SsdSharp.IO;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.IO;

/// <summary>
/// Output names up to the file system's 255 bytes are written, longer ones refused before the work: a 230-character
/// <c>--output</c> failed after the detection pass, as its temporary name (<c>.NAME.PID.GUID.tmp</c>) was too long.
/// </summary>
public sealed class AtomicFileNameTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(250, "a")]
    [InlineData(125, "é")]   // 250 bytes in UTF-8
    [InlineData(62, "😀")]   // 248 bytes, surrogate pairs: cut between pairs, never inside one
    public void ANameThatFitsIsWrittenThroughAShortenedTemporaryName(int count, string letter)
    {
        var name = string.Concat(Enumerable.Repeat(letter, count));
        var path = _temp.Path(name);
        string? temporary = null;
        AtomicFile.Write(path, stream =>
        {
            temporary = Path.GetFileName(Directory.EnumerateFiles(_temp.Root, ".*.tmp").Single());
            stream.WriteByte(1);
        });
        Assert.Equal([1], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_temp.Root));
        Assert.InRange(Encoding.UTF8.GetByteCount(temporary!), 1, AtomicFile.MaxFileNameBytes);
        // The process id stays whole: it is how a resumed run tells a killed writer's file from a live one's.
        Assert.Matches(new Regex($@"^\..+\.{Environment.ProcessId}\.[0-9a-f]{{32}}\.tmp$"), temporary);
    }

    [Fact]
    public void ATooLongOutputNameIsRefusedBeforeTheWork()
    {
        var output = _temp.Path(new string('r', 251) + ".json");
        var line = CliAssert.OneLineError(CliRunner.Run("detect", "--backend", "libtorch", "--device", "cpu", "--output", output, BundledDetector.Sample(1)),
            "--output", "256 bytes", "at most 255 bytes");
        Assert.False(File.Exists(output), line);
    }

    [Fact]
    public void ALongOutputNameThatFitsGetsTheResults()
    {
        var output = _temp.Path(new string('r', 225) + ".json");
        var result = CliRunner.Run("detect", "--backend", "libtorch", "--device", "cpu", "--output", output, BundledDetector.Sample(1));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("[", File.ReadAllText(output));
    }
}
