using System.Diagnostics;
using System.Text.Json;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// Hostile or careless input at the level of the command line (issue 9, part 2): unreadable files and
/// folders, outputs that cannot be, FIFOs and devices, link loops, and one bad image among good ones.
/// Each refusal is exit code 2 and one line naming the path; no input changes.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void UnreadableImageAmongOthersIsListedAndTheOthersAreWritten()
    {
        var good = new[] { _temp.Copy(Image, "in", "a.png"), _temp.Copy(Image, "in", "c.png") };
        var locked = _temp.Copy(Image, "in", "b.png");
        TempFolder.SetMode(locked, UnixFileMode.None);
        var output = _temp.Folder("out");
        TempFolder.SetMode(output, (UnixFileMode)0b111_111_111);
        var hashes = FileHashes.Of(good);

        var result = CliRunner.RunUnprivileged("detect", "--output", Path.Combine(output, "dets.json"), "--max-detections", "2", _temp.Path("in"));
        Assert.True(result.ExitCode == 2, result.Stderr);
        var errors = ErrorLines(result);
        Assert.Equal([$"ssd: error: {locked}: cannot read the file (permission denied)"], errors);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "dets.json")));
        Assert.Equal(good, json.RootElement.EnumerateArray().Select(r => r.GetProperty("image").GetString()));
        hashes.AssertUnchanged();
    }

    [Fact]
    public void UnreadableImageOfAnEvaluatedSplitIsListedAndTheOthersScored()
    {
        var root = _temp.Folder("voc");
        string[] ids = ["030001", "030002", "030003"];
        foreach (var id in ids)
        {
            _temp.Copy(Evaluation.CaseA.File("voc", "Annotations", id + ".xml"), "voc", "Annotations", id + ".xml");
            _temp.Copy(Evaluation.CaseA.File("voc", "JPEGImages", id + ".jpg"), "voc", "JPEGImages", id + ".jpg");
        }
        _temp.Write(string.Join('\n', ids), "voc", "ImageSets", "Main", "test.txt");
        var locked = _temp.Path("voc", "JPEGImages", "030002.jpg");
        TempFolder.SetMode(locked, UnixFileMode.None);
        var output = _temp.Folder("out");
        TempFolder.SetMode(output, (UnixFileMode)0b111_111_111);
        var hashes = FileHashes.Of(_temp.Path("voc", "Annotations"), _temp.Path("voc", "JPEGImages", "030001.jpg"));

        var report = Path.Combine(output, "report.json");
        var result = CliRunner.RunUnprivileged("eval", "--data", "VOC:" + root, "--format", "json", "--output", report);
        Assert.True(result.ExitCode == 2, result.Stderr);
        Assert.Equal([$"ssd: error: {locked}: cannot read the file (permission denied)"], ErrorLines(result));
        Assert.Contains("1 unreadable image(s) are left out of the scores, which are of the other 2", result.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(json.RootElement.TryGetProperty("voc07_mAP", out _));
        hashes.AssertUnchanged();
    }

    [Fact]
    public void UnreadableImageInTrainingIsSkippedAndNamed()
    {
        var root = _temp.Path("shapes");
        SsdSharp.Data.Synthetic.SyntheticDataset.Generate(root, new SsdSharp.Data.Synthetic.SyntheticDatasetOptions { Images = 6, Seed = 2, MinSide = 96, MaxSide = 128, MaxObjects = 2 });
        var config = _temp.Path("tiny300.json");
        Training.TinyConfig.Create(SsdSharp.Configuration.SsdPresets.ShapeClasses).Save(config);
        var locked = Path.Combine(root, "JPEGImages", "000003.jpg");
        TempFolder.SetMode(locked, UnixFileMode.None);
        var output = _temp.Folder("runs");
        TempFolder.SetMode(output, (UnixFileMode)0b111_111_111);

        // A batch of the whole split, so that the first step meets the unreadable image.
        var result = CliRunner.RunUnprivileged("train", "--config", config, "--data", "VOC:" + root, "--split", "train", "--out", Path.Combine(output, "run"),
            "--iterations", "1", "--batch", "6", "--workers", "1", "--lr", "0.001");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(result.Stderr.Contains($"warning: {locked}: cannot read the file (permission denied); skipped", StringComparison.Ordinal), result.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "run", "model.safetensors")));
    }

    [Fact]
    public void UnreadableFolderIsRefused()
    {
        _temp.Copy(Image, "in", "a.png");
        var locked = _temp.Folder("in", "private");
        TempFolder.SetMode(locked, UnixFileMode.None);
        var result = CliRunner.RunUnprivileged("detect", _temp.Path("in"));
        CliAssert.OneLineError(result, $"{locked}: cannot read the folder (permission denied)");
    }

    [Fact]
    public void UnwritableOutputIsRefusedBeforeTheWork()
    {
        // The folder is its owner's alone to write; the command runs as another user.
        var shut = _temp.Folder("shut");
        TempFolder.SetMode(shut, (UnixFileMode)0b111_101_101);
        if (!Environment.IsPrivilegedProcess) TempFolder.SetMode(shut, (UnixFileMode)0b101_101_101);
        var target = Path.Combine(shut, "dets.json");
        CliAssert.OneLineError(CliRunner.RunUnprivileged("detect", "--output", target, Image), $"--output {target}: cannot write there (permission denied)");
        CliAssert.OneLineError(CliRunner.RunUnprivileged("synth", "--out", Path.Combine(shut, "shapes"), "--images", "1"), "cannot write there (permission denied)");
        Assert.Empty(Directory.GetFileSystemEntries(shut));
    }

    [Theory]
    [InlineData("detect --output FOLDER IMAGE", "--output FOLDER: is a folder; expected a file path")]
    [InlineData("eval --data VOC:/nowhere --output FOLDER", "--output FOLDER: is a folder; expected a file path")]
    [InlineData("convert --from IMAGE --config voc300 --output FOLDER", "--output FOLDER: is a folder; expected a file path")]
    [InlineData("detect --draw FILE IMAGE", "--draw FILE: is a file; expected a folder")]
    [InlineData("synth --out FILE --images 1", "--out FILE: is a file; expected a folder")]
    [InlineData("train --config shapes300 --data VOC:/nowhere --out FILE", "--out FILE: is a file; expected a folder")]
    [InlineData("dataset stats --data VOC:/nowhere --draw 1 --out FILE", "--out FILE: is a file; expected a folder")]
    [InlineData("detect --output FILE/x.json IMAGE", "--output FILE/x.json: FILE is a file, not a folder")]
    [InlineData("synth --out FILE/shapes --images 1", "--out FILE/shapes: FILE is a file, not a folder")]
    [InlineData("detect --output EMPTY IMAGE", "--output: empty path; expected a file name")]
    [InlineData("detect --draw EMPTY IMAGE", "--draw: empty path; expected a folder")]
    [InlineData("synth --out EMPTY --images 1", "--out: empty path; expected a folder")]
    [InlineData("convert --from IMAGE --config voc300 --output EMPTY", "--output: empty path; expected a file name")]
    [InlineData("export --weights IMAGE --output FILE/model.onnx", "--output FILE/model.onnx: FILE is a file, not a folder")]
    public void OutputPathThatCannotBeIsRefused(string args, string message)
    {
        var folder = _temp.Folder("a-folder");
        var file = _temp.Write("a file", "a-file");
        string Fill(string text) => text.Replace("FOLDER", folder).Replace("FILE", file).Replace("IMAGE", Image);
        var hashes = FileHashes.Of(file, Image);
        var result = CliRunner.Run(args.Split(' ').Select(a => a == "EMPTY" ? "" : Fill(a)).ToArray());
        CliAssert.OneLineError(result, Fill(message));
        hashes.AssertUnchanged();
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void FifoOrDeviceIsRefusedNotWaitedOn()
    {
        var fifo = _temp.Path("photo.jpg");
        using (var mkfifo = Process.Start("mkfifo", [fifo, fifo + ".json"])) mkfifo.WaitForExit();
        var within = TimeSpan.FromMinutes(1);
        CliAssert.OneLineError(CliRunner.RunWithin(within, "detect", fifo), $"{fifo}: empty, or not a regular file (a FIFO, socket or device); expected an image file");
        CliAssert.OneLineError(CliRunner.RunWithin(within, "detect", _temp.Root), $"{fifo}: empty, or not a regular file");
        CliAssert.OneLineError(CliRunner.RunWithin(within, "detect", "--weights", "/dev/zero", Image), "/dev/zero: empty, or not a regular file (a FIFO, socket or device); expected a model file");
        CliAssert.OneLineError(CliRunner.RunWithin(within, "detect", "--config", fifo, Image), $"{fifo}: empty, or not a regular file");
        CliAssert.OneLineError(CliRunner.RunWithin(within, "eval", "--data", Evaluation.CaseA.VocSpec, "--detections", fifo), $"{fifo}: empty, or not a regular file");
        CliAssert.OneLineError(CliRunner.RunWithin(within, "dataset", "stats", "--data", $"COCO:{fifo}.json"), $"{fifo}.json: empty, or not a regular file");
        CliAssert.OneLineError(CliRunner.RunWithin(within, "convert", "--from", "/dev/zero", "--config", "voc300", "--output", _temp.Path("m.safetensors")), "/dev/zero: empty, or not a regular file");
    }

    [Fact]
    public void ALinkLoopIsWalkedOnce()
    {
        var image = _temp.Copy(Image, "in", "sub", "photo.png");
        File.CreateSymbolicLink(_temp.Path("in", "sub", "loop"), "..");
        File.CreateSymbolicLink(_temp.Path("in", "again.png"), image);
        var result = CliRunner.Run("detect", "--max-detections", "1", _temp.Path("in"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        // The loop is entered once, and the link to the photo is the photo: one image, and a line that says so.
        Assert.Equal(1, json.RootElement.GetArrayLength());
        Assert.Contains("note: 1 image file(s) and 1 folder(s) reached again by another path or link, read once: 1 image(s)", result.Stderr);
    }

    /// <summary>A looping link among a folder's images stopped the whole command before its first image.</summary>
    [Fact]
    public void ALinkAmongAFoldersImagesThatLeadsNowhereIsThatImagesProblem()
    {
        _temp.Copy(Image, "in", "a.png");
        _temp.Copy(Image, "in", "z.png");
        File.CreateSymbolicLink(_temp.Path("in", "b.png"), "c.png");
        File.CreateSymbolicLink(_temp.Path("in", "c.png"), "b.png");
        File.CreateSymbolicLink(_temp.Path("in", "d.png"), "nothing.png");
        var result = CliRunner.Run("detect", "--max-detections", "1", _temp.Path("in"));
        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal([_temp.Path("in", "a.png"), _temp.Path("in", "z.png")], json.RootElement.EnumerateArray().Select(i => i.GetProperty("image").GetString()));
        Assert.Contains($"{_temp.Path("in", "b.png")}: cannot read the file (a loop of symbolic links)", result.Stderr);
        Assert.Contains($"{_temp.Path("in", "c.png")}: cannot read the file (a loop of symbolic links)", result.Stderr);
        Assert.Contains($"{_temp.Path("in", "d.png")}: cannot read the file (a link to a file that does not exist)", result.Stderr);
    }

    [Theory]
    [InlineData("loop.png", "a loop of symbolic links")]
    [InlineData("broken.png", "a link to a file that does not exist")]
    public void ANamedInputThatIsALinkLeadingNowhereIsRefusedSayingWhatWasExpected(string name, string problem)
    {
        File.CreateSymbolicLink(_temp.Path("loop.png"), "loop.png");
        File.CreateSymbolicLink(_temp.Path("broken.png"), "nothing.png");
        var link = _temp.Path(name);
        CliAssert.OneLineError(CliRunner.Run("detect", link), $"{link}: {problem}; expected an image file");
        CliAssert.OneLineError(CliRunner.Run("detect", "--weights", link, Image), $"{link}: {problem}; expected a model file");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", Evaluation.CaseA.VocSpec, "--detections", link), $"{link}: {problem}; expected a detections JSON file");
    }

    [Fact]
    public void AFolderGivenAgainOrInsideOneGivenIsARepeatNotAnEmptyFolder()
    {
        _temp.Copy(Image, "in", "a.png");
        _temp.Copy(Image, "in", "sub", "b.png");
        var result = CliRunner.Run("detect", "--max-detections", "1", _temp.Path("in"), _temp.Path("in", "sub"), _temp.Path("in"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Contains("note: 2 folder(s) reached again by another path or link, read once: 2 image(s)", result.Stderr);
        // A folder that truly holds no image is still refused.
        _temp.Folder("empty");
        CliAssert.OneLineError(CliRunner.Run("detect", _temp.Path("in"), _temp.Path("empty")), $"{_temp.Path("empty")}: folder holds no image");
    }

    [Fact]
    public void OneOversizedImageAmongOthersIsListedAndTheOthersAreWritten()
    {
        var good = new[] { _temp.Copy(Image, "in", "a.png"), _temp.Copy(Image, "in", "c.png") };
        var huge = _temp.Path("in", "b.png");
        File.WriteAllBytes(huge, HostileImages.PngDeclaring(100_000, 100_000));
        var output = _temp.Path("dets.json");
        var hashes = FileHashes.Of(_temp.Path("in"));

        var result = CliRunner.Run("detect", "--output", output, "--max-detections", "2", _temp.Path("in"));
        Assert.True(result.ExitCode == 2, result.Stderr);
        var error = Assert.Single(ErrorLines(result));
        Assert.StartsWith($"ssd: error: {huge}: ", error);
        Assert.Contains("100000×100000", error);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal(good, json.RootElement.EnumerateArray().Select(r => r.GetProperty("image").GetString()));
        hashes.AssertUnchanged();
    }

    [Fact]
    public void AbsurdSizesAreOneLineNamingTheLimit()
    {
        CliAssert.OneLineError(CliRunner.Run("summary", "--classes", "100000000"), "100000000 classes is above the limit of 10000");
        var config = _temp.Path("huge.json");
        SsdSharp.Configuration.SsdPresets.Voc300.Save(config);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"fc_channels\": 1024", "\"fc_channels\": 1000000000"));
        var hashes = FileHashes.Of(config);
        CliAssert.OneLineError(CliRunner.Run("summary", "--config", config), config, "1000000000 channels is above the limit of 8192");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void ThePixelLimitIsAnOption()
    {
        // 1100 × 1000 pixels: above a limit of 1 megapixel, far below the default of 64.
        var image = _temp.Path("wide.png");
        using (var bitmap = new SkiaSharp.SKBitmap(1100, 1000))
        using (var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(image, data.ToArray());
        var hashes = FileHashes.Of(image);
        var refused = CliRunner.Run("detect", "--max-megapixels", "1", image);
        Assert.True(refused.ExitCode == 2, refused.Stderr);
        var error = Assert.Single(ErrorLines(refused));
        Assert.StartsWith($"ssd: error: {image}: image of 1100×1000 pixels", error);
        Assert.Contains("limit of 1 megapixels", error);
        var accepted = CliRunner.Run("detect", "--max-detections", "1", image);
        Assert.True(accepted.ExitCode == 0, accepted.Stderr);
        hashes.AssertUnchanged();
    }

    /// <summary>The "ssd: error:" lines of stderr (progress and notes are there too).</summary>
    private static string[] ErrorLines(CliRunner.Result result) =>
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("ssd: error:", StringComparison.Ordinal)).ToArray();
}
