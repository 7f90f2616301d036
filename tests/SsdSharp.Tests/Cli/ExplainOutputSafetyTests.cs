using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// <c>ssd explain</c> writes its pictures as every command writes a folder of outputs: into a folder that is new, empty
/// or ssd's (else <c>--force</c>), never over its image (<c>explain detect --out ex ex/detect.png</c> replaced the photo
/// with its drawing), and a file given as <c>--out</c> is one line, not an unexpected IOException.
/// </summary>
public sealed class ExplainOutputSafetyTests : IDisposable
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void DetectNeverDrawsOverItsImage()
    {
        var photo = _temp.Copy(Image, "ex", "detect.png");
        var hashes = FileHashes.Of(photo);
        CliAssert.OneLineError(CliRunner.Run("explain", "detect", "--out", _temp.Path("ex"), photo),
            $"--out {_temp.Path("ex")}: the folder holds files that ssd did not write", "--force");
        CliAssert.OneLineError(CliRunner.Run("explain", "detect", "--out", _temp.Path("ex"), "--force", photo), $"--out {photo}: is an input of this command");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void PriorsNeverDrawOverTheImageNorIntoAFile()
    {
        var image = _temp.Copy(Image, "pri2", "priors-0.png");
        var file = _temp.Write("the user's", "afile");
        var hashes = FileHashes.Of(image, file);
        CliAssert.OneLineError(CliRunner.Run("explain", "priors", "--config", "shapes300", "--image", image, "--out", _temp.Path("pri2"), "--force"),
            $"--out {image}: is an input of this command");
        CliAssert.OneLineError(CliRunner.Run("explain", "priors", "--config", "shapes300", "--out", file), $"--out {file}: is a file; expected a folder");
        hashes.AssertUnchanged();
        Assert.Equal(["priors-0.png"], Directory.GetFiles(_temp.Path("pri2")).Select(Path.GetFileName));
    }

    [Fact]
    public void MatchWritesIntoAFolderOfItsOwn()
    {
        var theirs = _temp.Write("the user's", "pictures", "notes.txt");
        var hashes = FileHashes.Of(theirs);
        CliAssert.OneLineError(CliRunner.Run("explain", "match", "--config", "shapes300", "--data", Evaluation.CaseA.VocSpec, "--split", "test", "--id", "030000",
            "--out", _temp.Path("pictures")), $"--out {_temp.Path("pictures")}: the folder holds files that ssd did not write");
        hashes.AssertUnchanged();
    }
}
