using SsdSharp.Bulk;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Bulk;

/// <summary>
/// <c>ssd detect --format jsonl --output FILE</c> checks FILE before the work as the other outputs are checked, and
/// <c>--resume</c> drops only a torn line of its own: a file of the user's is refused and left as it is.
/// </summary>
public sealed class JsonLinesOutputSafetyTests : IDisposable
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OutputThatCannotBeIsRefusedBeforeTheWork()
    {
        var image = _temp.Copy(Image, "x.png");
        var hashes = FileHashes.Of(image);

        CliAssert.OneLineError(CliRunner.Run("detect", "--format", "jsonl", "--output", "", image), "--output: empty path");
        CliAssert.OneLineError(CliRunner.Run("detect", "--format", "jsonl", "--output", _temp.Root, image), $"--output {_temp.Root}: is a folder");
        CliAssert.OneLineError(CliRunner.Run("detect", "--format", "jsonl", "--output", _temp.Path("x.png", "x.jsonl"), image), $"{image} is a file, not a folder");
        CliAssert.OneLineError(CliRunner.Run("detect", "--format", "jsonl", "--output", image, image), $"--output {image}: is an input of this command");
        CliAssert.OneLineError(CliRunner.Run("detect", "--format", "jsonl", "--resume", "--output", image, image), $"--output {image}: is an input of this command");
        hashes.AssertUnchanged();
        Assert.Equal(["x.png"], Directory.GetFileSystemEntries(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void ResumingAFileThatIsNoOutputOfDetectLeavesItAsItIs()
    {
        var image = _temp.Copy(Image, "x.png");
        var notes = _temp.Write("my precious notes", "notes.txt");

        var run = CliRunner.Run("detect", "--format", "jsonl", "--resume", "--output", notes, image);

        CliAssert.OneLineError(run, $"{notes}: not a JSON Lines output of ssd detect");
        Assert.Equal("my precious notes", File.ReadAllText(notes));
    }

    [Theory]
    [InlineData("my precious notes")]
    [InlineData("{\"video\":\"clip.mp4\",\"frame\":0")]
    [InlineData("{\"image\":\"a.jpg\"}\n[1, 2")]
    public void ResumeRefusesALastLineThatIsNoTornLineOfAnImage(string text)
    {
        var file = _temp.Write(text, "out.jsonl");
        var e = Assert.Throws<SsdInputException>(() => JsonLinesOutput.Resume(file));
        Assert.Contains($"{file}: not", e.Message);
        Assert.Equal(text, File.ReadAllText(file));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"ima")]
    [InlineData("{\"image\":\"a.jpg\",\"detecti")]
    public void ResumeDropsATornLineOfAnImage(string torn)
    {
        const string whole = "{\"image\":\"b.jpg\",\"error\":\"earlier\"}\n";
        var file = _temp.Write(whole + torn, "out.jsonl");
        using (var output = JsonLinesOutput.Resume(file))
        {
            Assert.Equal(torn.Length, output.DroppedBytes);
            Assert.Equal(["b.jpg"], output.Done);
        }
        Assert.Equal(whole, File.ReadAllText(file));
    }
}
