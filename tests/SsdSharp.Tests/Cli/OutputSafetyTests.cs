using System.Text.Json;
using SsdSharp.IO;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// No command replaces a file the user gave it or keeps elsewhere (issue 9, part 1): each case that once
/// overwrote a file now exits with code 2 and one line naming the path, before any work, and every input
/// keeps its content.
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void DrawingIntoTheFolderOfTheImagesIsRefused()
    {
        var photo = _temp.Copy(Image, "photos", "photo.png");
        var hashes = FileHashes.Of(_temp.Path("photos"));
        var result = CliRunner.Run("detect", "--draw", _temp.Path("photos"), photo);
        CliAssert.OneLineError(result, $"--draw {_temp.Path("photos")}: the folder holds files that ssd did not write", "--force");
        hashes.AssertUnchanged();
        Assert.False(File.Exists(_temp.Path("photos", OutputFolder.MarkerName)));
    }

    [Fact]
    public void ForcedDrawingStillNeverReplacesAnInput()
    {
        var photo = _temp.Copy(Image, "photos", "photo.png");
        var hashes = FileHashes.Of(photo);
        var result = CliRunner.Run("detect", "--draw", _temp.Path("photos"), "--force", photo);
        CliAssert.OneLineError(result, $"--draw {photo}: is an input of this command");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void OutputThatIsOneOfTheImagesIsRefused()
    {
        var a = _temp.Copy(Image, "a.png");
        var x = _temp.Copy(Image, "x.jpg");
        var hashes = FileHashes.Of(a, x);
        var result = CliRunner.Run("detect", "--output", x, a, x);
        CliAssert.OneLineError(result, $"--output {x}: is an input of this command");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void ConvertOntoItsSourceIsRefusedAlsoThroughALink()
    {
        // The check comes before the checkpoint is read: any bytes serve as the source.
        var source = _temp.Write("not really a checkpoint", "w.pth");
        var link = _temp.Path("link.pth");
        File.CreateSymbolicLink(link, source);
        var hashes = FileHashes.Of(source);
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", source, "--config", "voc300", "--output", source), $"--output {source}: is an input of this command");
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", source, "--config", "voc300", "--output", link), $"--output {link}: is an input of this command ({source})");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void TrainingIntoAFolderOfTheUsersIsRefused()
    {
        var model = _temp.Write("the user's own model", "work", "model.safetensors");
        var log = _temp.Write("{}\n", "work", "train.jsonl");
        var hashes = FileHashes.Of(model, log);
        var result = CliRunner.Run("train", "--config", "shapes300", "--data", "VOC:/nowhere", "--out", _temp.Path("work"));
        CliAssert.OneLineError(result, $"--out {_temp.Path("work")}: the folder holds files that ssd did not write", "--force");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void SynthIntoAFolderOfTheUsersIsRefusedButIntoItsOwnIsNot()
    {
        var jpeg = _temp.Copy(Image, "dataset", "JPEGImages", "000000.jpg");
        var split = _temp.Write("000000\n", "dataset", "ImageSets", "Main", "train.txt");
        var hashes = FileHashes.Of(jpeg, split);
        var refused = CliRunner.Run("synth", "--out", _temp.Path("dataset"), "--images", "1");
        CliAssert.OneLineError(refused, $"--out {_temp.Path("dataset")}: the folder holds files that ssd did not write");
        hashes.AssertUnchanged();

        // A folder synth made is synth's to write again.
        Assert.Equal(0, CliRunner.Run("synth", "--out", _temp.Path("shapes"), "--images", "1").ExitCode);
        var again = CliRunner.Run("synth", "--out", _temp.Path("shapes"), "--images", "1", "--seed", "1");
        Assert.True(again.ExitCode == 0, again.Stderr);
    }

    [Fact]
    public void DrawingsOfImagesWithTheSameNameAllSurvive()
    {
        string[] images = [_temp.Copy(Image, "in", "a", "x.jpg"), _temp.Copy(Image, "in", "b", "x.jpg"), _temp.Copy(Image, "in", "a", "x.png")];
        var hashes = FileHashes.Of(_temp.Path("in"));
        var result = CliRunner.Run(["detect", "--draw", _temp.Path("out"), "--max-detections", "3", .. images]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] drawn = ["a/x.jpg.png", "b/x.png", "a/x.png.png"];
        Assert.All(drawn, name => Assert.True(File.Exists(_temp.Path("out", name)), $"{name} missing; stderr: {result.Stderr}"));
        Assert.Equal(drawn.Length, Directory.GetFiles(_temp.Path("out"), "*.png", SearchOption.AllDirectories).Length);
        hashes.AssertUnchanged();
    }

    [Fact]
    public void SplitLineLeadingOutOfTheRootIsRefusedNamingTheLine()
    {
        var root = _temp.Folder("data", "voc");
        var split = _temp.Write("000001\n../../victim\n", "data", "voc", "ImageSets", "Main", "trainval.txt");
        _temp.Write("<annotation/>", "data", "victim.xml");
        var hashes = FileHashes.Of(_temp.Root);
        var result = CliRunner.Run("dataset", "stats", "--data", "VOC:" + root, "--draw", "2", "--out", _temp.Path("drawn"));
        CliAssert.OneLineError(result, $"{split}, line 2: '../../victim.xml' leads outside");
        hashes.AssertUnchanged();
        Assert.False(File.Exists(_temp.Path("victim.png")));
    }

    [Fact]
    public void CocoFileNameLeadingOutOfTheImagesFolderIsRefused()
    {
        var json = _temp.Write("""
            {"images": [{"id": 1, "file_name": "../../victim.jpg", "width": 10, "height": 10}], "annotations": [], "categories": [{"id": 1, "name": "circle"}]}
            """, "coco", "instances.json");
        var hashes = FileHashes.Of(json);
        var result = CliRunner.Run("dataset", "stats", "--data", $"COCO:{json}");
        CliAssert.OneLineError(result, $"{json}: images[0].file_name: '../../victim.jpg' leads outside");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void VocFileNameLeadingOutOfTheImagesFolderIsASkippedImageNamingTheAnnotation()
    {
        // 000002's image is missing, and its <filename> points at a real image outside the dataset.
        var root = _temp.Folder("data", "voc");
        _temp.Write("000001\n000002\n", "data", "voc", "ImageSets", "Main", "trainval.txt");
        _temp.Copy(Image, "data", "voc", "JPEGImages", "000001.png");
        _temp.Copy(Image, "data", "victim.png");
        string Annotation(string fileName) =>
            $"<annotation><filename>{fileName}</filename><object><name>circle</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox></object></annotation>";
        _temp.Write(Annotation("000001.png"), "data", "voc", "Annotations", "000001.xml");
        var escaping = _temp.Write(Annotation("../../victim.png"), "data", "voc", "Annotations", "000002.xml");
        var hashes = FileHashes.Of(_temp.Root);

        var result = CliRunner.Run("dataset", "stats", "--data", "VOC:" + root, "--draw", "2", "--out", _temp.Path("drawn"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"{escaping}: <filename> '../../victim.png' leads outside {Path.Combine(root, "JPEGImages")} (image skipped)", result.Stdout);
        Assert.Equal(["000001.png"], Directory.GetFiles(_temp.Path("drawn"), "*.png", SearchOption.AllDirectories).Select(Path.GetFileName));
        hashes.AssertUnchanged();
    }

    [Fact]
    public void OutputLocationsAreCheckedBeforeTheDetectionPass()
    {
        var file = _temp.Write("a file", "report");
        var detections = Evaluation.CaseA.File("detections.json");
        // With --weights absent the bundled model would run over the split first; the paths fail at once.
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--output", Path.Combine(file, "x.txt")), $"{file} is a file, not a folder");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--plots", file), $"--plots {file}: is a file; expected a folder");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--save-detections", ""), "--save-detections: empty path");
        var same = _temp.Path("same.json");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--output", same, "--save-detections", same),
            $"--save-detections {same}: is also the output of --output");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--detections", detections, "--output", detections),
            $"--output {detections}: is an input of this command");
        Assert.False(File.Exists(same));
    }

    [Fact]
    public void ReportOfEvalIsWrittenWhole()
    {
        var report = _temp.Path("nested", "report.json");
        var result = CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--detections", Evaluation.CaseA.File("detections.json"), "--format", "json", "--output", report);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(json.RootElement.TryGetProperty("voc07_mAP", out _));
        // No temporary file of the atomic write is left beside it.
        Assert.Equal(["report.json"], Directory.GetFiles(_temp.Path("nested")).Select(Path.GetFileName));
    }
}
