using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Bulk;

/// <summary><c>ssd detect --format jsonl --output FILE</c> checks FILE before the work as the other outputs are checked.</summary>
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
}
