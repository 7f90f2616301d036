using System.Diagnostics;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// The commands that once waited on a FIFO for ever (export, info and explain: a configuration, a model, an image, a
/// COCO annotation file) or read <c>/dev/zero</c> until memory ran out refuse them before opening them, and a folder
/// given as a model is named as a folder, not "access denied".
/// </summary>
public sealed class FifoInputTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(1);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void AssertRefused(string path, string expected, params string[] args) =>
        CliAssert.OneLineError(CliRunner.RunWithin(Within, args), $"{path}: empty, or not a regular file (a FIFO, socket or device); expected {expected}");

    [Fact]
    public void FifosAndDevicesAreRefusedNotWaitedOn()
    {
        string config = _temp.Path("fifo.json"), model = _temp.Path("fifo.safetensors"), image = _temp.Path("fifo.png");
        using (var mkfifo = Process.Start("mkfifo", [config, model, image])) mkfifo.WaitForExit();
        var onnx = _temp.Path("y.onnx");
        var pictures = _temp.Path("pictures");
        const string aConfig = "a preset name, a configuration JSON file or a model file";

        AssertRefused(config, aConfig, "export", "--weights", "shapes300", "--config", config, "--output", onnx);
        AssertRefused("/dev/zero", aConfig, "export", "--weights", "shapes300", "--config", "/dev/zero", "--output", onnx);
        AssertRefused(config, "a COCO annotation file", "export", "--weights", "shapes300", "--output", onnx, "--quantize", "int8", "--calibration", $"COCO:{config}");
        AssertRefused(config, aConfig, "info", "--config", config);
        AssertRefused(model, "a model file", "info", "--weights", model);
        AssertRefused(image, "an image file", "explain", "priors", "--image", image, "--out", pictures);
        AssertRefused(image, "an image file", "explain", "detect", "--out", pictures, image);
        AssertRefused(model, "a model file", "explain", "match", "--weights", model, "--data", Evaluation.CaseA.VocSpec, "--id", "030000", "--out", pictures);
        AssertRefused(config, "a COCO annotation file", "explain", "match", "--data", $"COCO:{config}", "--id", "1", "--out", pictures);
        Assert.False(File.Exists(onnx));
        Assert.False(Directory.Exists(pictures));
    }

    [Fact]
    public void AVideoOrAVocListOrAnnotationThatIsAFifoIsRefusedNotWaitedOn()
    {
        var video = _temp.Path("fifo.mp4");
        var root = _temp.Folder("voc");
        var split = Path.Combine(_temp.Folder("voc", "ImageSets", "Main"), "train.txt");
        _temp.Folder("voc", "Annotations");
        var annotation = _temp.Path("voc", "Annotations", "a.xml");
        using (var mkfifo = Process.Start("mkfifo", [video, split])) mkfifo.WaitForExit();

        AssertRefused(video, "a video file", "detect", video);
        AssertRefused(split, "a list of image ids", "dataset", "stats", "--data", $"VOC:{root}", "--split", "train");

        // An annotation is one image's: a FIFO there is a problem of that image, fatal under --policy fail.
        File.Delete(split);
        File.WriteAllText(split, "a\n");
        using (var mkfifo = Process.Start("mkfifo", [annotation])) mkfifo.WaitForExit();
        CliAssert.OneLineError(CliRunner.RunWithin(Within, "dataset", "stats", "--data", $"VOC:{root}", "--split", "train", "--policy", "fail"),
            $"{annotation}: empty, or not a regular file (a FIFO, socket or device)");
    }

    [Fact]
    public void ResumingOntoAFifoIsRefusedNotWaitedOn()
    {
        var lines = _temp.Path("lines.jsonl");
        using (var mkfifo = Process.Start("mkfifo", [lines])) mkfifo.WaitForExit();
        CliAssert.OneLineError(CliRunner.RunWithin(Within, "detect", "--format", "jsonl", "--output", lines, "--resume", Fixtures.ReferenceFile("image_11.png")),
            $"{lines}: empty, or not a regular file (a FIFO, socket or device); --resume continues an output file of an earlier run");
    }

    [Fact]
    public void AFolderGivenAsTheModelIsNamedAsAFolder()
    {
        var folder = _temp.Folder("adir");
        CliAssert.OneLineError(CliRunner.Run("info", "--weights", folder), $"{folder}: is a folder; expected a model file");
    }
}
