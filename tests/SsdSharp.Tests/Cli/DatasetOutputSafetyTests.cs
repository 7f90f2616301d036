using SsdSharp.Tests.Evaluation;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// No command writes into a dataset it reads: nothing goes into a VOC root's <c>Annotations/</c>, <c>ImageSets/</c> or
/// <c>JPEGImages/</c>, and no output replaces a COCO image; a report beside the dataset is still the user's to write.
/// (<c>eval --output voc2/Annotations/000008.xml --save-detections voc2/ImageSets/Main/test.txt</c> replaced both.)
/// </summary>
public sealed class DatasetOutputSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A copy of case_a's VOC form: the root.</summary>
    private string VocRoot()
    {
        foreach (var file in Directory.GetFiles(CaseA.File("voc"), "*", SearchOption.AllDirectories))
            _temp.Copy(file, ["voc2", .. Path.GetRelativePath(CaseA.File("voc"), file).Split(Path.DirectorySeparatorChar)]);
        return _temp.Path("voc2");
    }

    /// <summary>A copy of case_a's COCO form with its images beside the annotation file, where they are by default: the annotation file.</summary>
    private string CocoAnnotations()
    {
        foreach (var image in Directory.GetFiles(CaseA.File("voc", "JPEGImages"))) _temp.Copy(image, "coco", Path.GetFileName(image));
        return _temp.Copy(CaseA.File("instances_test.json"), "coco", "instances_test.json");
    }

    private static string[] Listing(string folder) => Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void EvalWritesNothingAmongAVocRootsAnnotationsSplitsOrImagesButBesideThem()
    {
        var root = VocRoot();
        var hashes = FileHashes.Of(root);
        var listing = Listing(root);
        var xml = Path.Combine(root, "Annotations", "030008.xml");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", "VOC:" + root, "--output", xml),
            $"--output {xml}: lies in {Path.Combine(root, "Annotations")}, a folder of this command's inputs");
        var split = Path.Combine(root, "ImageSets", "Main", "test.txt");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", "VOC:" + root, "--save-detections", split),
            $"--save-detections {split}: lies in {Path.Combine(root, "ImageSets")}");
        var plots = Path.Combine(root, "JPEGImages", "plots");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", "VOC:" + root, "--detections", CaseA.File("detections.json"), "--plots", plots, "--force"),
            $"--plots {plots}: lies in {Path.Combine(root, "JPEGImages")}");
        hashes.AssertUnchanged();
        Assert.Equal(listing, Listing(root));

        var report = Path.Combine(root, "report.json");
        var beside = CliRunner.Run("eval", "--data", "VOC:" + root, "--detections", CaseA.File("detections.json"), "--output", report);
        Assert.True(beside.ExitCode == 0, beside.Stderr);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public void EvalNeverReplacesACocoImageButWritesBesideTheAnnotations()
    {
        var annotations = CocoAnnotations();
        var folder = Path.GetDirectoryName(annotations)!;
        var hashes = FileHashes.Of(folder);
        var image = Path.Combine(folder, "030003.jpg");
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", "COCO:" + annotations, "--detections", CaseA.File("coco_results.json"), "--output", image),
            $"--output {image}: is an input of this command");
        // With a model, the images are known once the annotations are read: still before the detection pass.
        CliAssert.OneLineError(CliRunner.Run("eval", "--data", "COCO:" + annotations, "--save-detections", image), $"--save-detections {image}: is an input of this command");
        hashes.AssertUnchanged();

        var report = Path.Combine(folder, "report.json");
        var beside = CliRunner.Run("eval", "--data", "COCO:" + annotations, "--detections", CaseA.File("coco_results.json"), "--output", report);
        Assert.True(beside.ExitCode == 0, beside.Stderr);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public void DatasetStatsTrainAverageAndExportWriteNothingAmongAVocRootsFolders()
    {
        var root = VocRoot();
        var hashes = FileHashes.Of(root);
        var listing = Listing(root);
        var data = "VOC:" + root;
        var drawn = Path.Combine(root, "JPEGImages", "drawn");
        CliAssert.OneLineError(CliRunner.Run("dataset", "stats", "--data", data, "--draw", "1", "--out", drawn), $"--out {drawn}: lies in {Path.Combine(root, "JPEGImages")}");
        var run = Path.Combine(root, "Annotations", "run");
        CliAssert.OneLineError(CliRunner.Run("train", "--config", "shapes300", "--data", data, "--out", run), $"--out {run}: lies in {Path.Combine(root, "Annotations")}");
        // The evaluation data of a run is its input as much as the training data.
        CliAssert.OneLineError(CliRunner.Run("train", "--config", "shapes300", "--data", "VOC:" + Path.Combine(root, "elsewhere"), "--eval-data", data, "--eval-every", "1", "--out", run),
            $"--out {run}: lies in {Path.Combine(root, "Annotations")}");
        var mean = Path.Combine(root, "ImageSets", "mean.safetensors");
        CliAssert.OneLineError(CliRunner.Run("average", BundledDetector.ModelPath, BundledDetector.ModelPath, "--data", data, "--out", mean),
            $"--out {mean}: lies in {Path.Combine(root, "ImageSets")}");
        var onnx = Path.Combine(root, "JPEGImages", "model.onnx");
        CliAssert.OneLineError(CliRunner.Run("export", "--weights", "shapes300", "--quantize", "int8", "--calibration", data, "--split", "test", "--output", onnx),
            $"--output {onnx}: lies in {Path.Combine(root, "JPEGImages")}");
        hashes.AssertUnchanged();
        Assert.Equal(listing, Listing(root));
    }
}
