using System.Text.Json;
using SsdSharp.Configuration;
using SsdSharp.Data.Synthetic;
using SsdSharp.Evaluation;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Evaluation;

/// <summary><c>ssd eval</c> end to end: the real executable on the golden case.</summary>
public class EvalCommandTests
{
    [Fact]
    public void JsonReportFromDetectFormCarriesTheGoldenNumbers()
    {
        var result = CliRunner.Run("eval", "--data", CaseA.VocSpec, "--detections", CaseA.File("detections.json"), "--metric", "both", "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        var expected = CaseA.Expected();
        var root = report.RootElement;
        Assert.Equal(expected.GetProperty("voc07_mAP").GetDouble(), root.GetProperty("voc07_mAP").GetDouble(), 1e-6);
        Assert.Equal(expected.GetProperty("voc_area_mAP").GetDouble(), root.GetProperty("voc_area_mAP").GetDouble(), 1e-6);
        var star = root.GetProperty("per_class").GetProperty("star");
        Assert.Equal(expected.GetProperty("voc07_11point").GetProperty("star").GetDouble(), star.GetProperty("voc07").GetDouble(), 1e-6);
        Assert.Equal(33, star.GetProperty("num_gt").GetInt32());
        var truth = CaseA.Voc();
        var voc = VocEvaluator.Evaluate(truth.Images, DetectionFileReader.Read(CaseA.File("detections.json"), truth), truth.ClassNames);
        Assert.Equal(voc.Classes.Single(c => c.Name == "star").NumMissed, star.GetProperty("num_missed").GetInt32());
        Assert.Equal(expected.GetProperty("coco").GetProperty("AR100").GetDouble(), root.GetProperty("coco").GetProperty("AR100").GetDouble(), 1e-4);
    }

    [Fact]
    public void CocoDataDefaultsToCocoMetricAndWritesPlots()
    {
        var folder = Directory.CreateTempSubdirectory("ssd-eval").FullName;
        var output = Path.Combine(folder, "report.txt");
        var result = CliRunner.Run("eval", "--data", CaseA.CocoSpec, "--detections", CaseA.File("coco_results.json"), "--output", output, "--plots", Path.Combine(folder, "plots"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(output);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.258", text);
        Assert.DoesNotContain("VOC07", text);
        Assert.Contains("hexagon", text);
        var pngs = Directory.GetFiles(Path.Combine(folder, "plots"), "*.png").Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal<string>(["ap_per_class.png", "pr_circle.png", "pr_hexagon.png", "pr_square.png", "pr_star.png", "pr_triangle.png"], pngs);
        Assert.All(Directory.GetFiles(Path.Combine(folder, "plots"), "*.png"), f => Assert.True(new FileInfo(f).Length > 1000));
    }

    [Fact]
    public void UnknownImageInDetectionsIsOneLineNamingFileAndItem()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ssd-eval").FullName, "dets.json");
        File.WriteAllText(file, """[{"image": "JPEGImages/999999.jpg", "width": 1, "height": 1, "detections": []}]""");
        var result = CliRunner.Run("eval", "--data", CaseA.VocSpec, "--detections", file);
        CliAssert.OneLineError(result, $"{file}: item 0 (image 'JPEGImages/999999.jpg') names an image that is not in the dataset");
    }

    [Fact]
    public void EmptySplitIsNamed()
    {
        var root = Directory.CreateTempSubdirectory("ssd-voc").FullName;
        Directory.CreateDirectory(Path.Combine(root, "ImageSets", "Main"));
        Directory.CreateDirectory(Path.Combine(root, "Annotations"));
        File.WriteAllText(Path.Combine(root, "ImageSets", "Main", "test.txt"), "");
        var result = CliRunner.Run("eval", "--data", "VOC:" + root, "--detections", CaseA.File("detections.json"));
        Assert.Equal(2, result.ExitCode);
        // An empty list is refused as the file it is, before anything opens it (a FIFO reports the same size, 0).
        Assert.Contains("test.txt: empty, or not a regular file (a FIFO, socket or device); expected a list of image ids", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "--detections", "a.json", "--weights", "shapes300" }, "give either --detections FILE or --weights MODEL, not both")]
    [InlineData(new[] { "--detections", "a.json", "--save-detections", "b.json" }, "--save-detections saves a model's detections")]
    [InlineData(new[] { "--detections", "a.json", "--tile", "150" }, "--tile runs the model in tiles; it does not go with --detections")]
    [InlineData(new[] { "--detections", "a.json", "--tta" }, "--tta runs the model on mirrored images too; it does not go with --detections")]
    [InlineData(new[] { "--detections", "a.json", "--nms-threshold", "0.3" }, "eval: --nms-threshold sets how the model's detections are post-processed; it does not go with --detections")]
    [InlineData(new[] { "--detections", "a.json", "--class-agnostic" }, "eval: --class-agnostic sets how the model's detections are post-processed")]
    [InlineData(new[] { "--conf-threshold", "1" }, "--conf-threshold: must be in [0, 1), got 1")]
    [InlineData(new[] { "--overlap", "0.3" }, "--overlap needs --tile SIZE")]
    [InlineData(new[] { "--tile", "abc" }, "--tile: expected a whole number at least 32, got 'abc'")]
    [InlineData(new[] { "--tile", "150", "--overlap", "1" }, "--overlap: must be in [0, 0.9], got 1")]
    public void DetectionSourceIsAModelOrAFile(string[] args, string message)
    {
        var result = CliRunner.Run(["eval", "--data", CaseA.VocSpec, .. args]);
        CliAssert.OneLineError(result, message);
    }

    [Fact]
    public void ModelPathDetectsSavesAndEvaluatesTheSplit()
    {
        var checkpoint = Fixtures.SharedCheckpoint();
        Assert.True(checkpoint != null, "the shared fixture checkpoint must be beside the clone (../shared/fixtures/ssd-pytorch)");
        // Two images of the golden case in a VOC root of their own, and the reference VOC network relabelled with the shapes.
        string[] ids = ["030001", "030003"];
        var root = CaseA.VocRootWith(ids);
        var config = Path.Combine(root, "shapes.json");
        string[] shapes = ["circle", "square", "triangle", "star", "hexagon"];
        (SsdPresets.Voc300 with { ClassNames = [.. shapes, .. Enumerable.Range(6, 15).Select(i => $"unused{i}")] }).Save(config);
        var saved = Path.Combine(root, "dets.json");

        // libtorch named: auto would first time the backends on this full-size network, minutes on a busy machine.
        var result = CliRunner.Run("eval", "--data", "VOC:" + root, "--weights", checkpoint!, "--config", config, "--backend", "libtorch", "--batch", "2", "--save-detections", saved, "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal(20, report.RootElement.GetProperty("per_class").EnumerateObject().Count());

        using var detections = JsonDocument.Parse(File.ReadAllText(saved));
        Assert.Equal(ids.Length, detections.RootElement.GetArrayLength());
        var again = CliRunner.Run("eval", "--data", "VOC:" + root, "--config", config, "--detections", saved, "--format", "json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        using var reread = JsonDocument.Parse(again.Stdout);
        // The saved file rounds boxes to 0.01 pixel and scores to 1e-6: the same numbers, up to that rounding.
        Assert.Equal(report.RootElement.GetProperty("voc07_mAP").GetDouble(), reread.RootElement.GetProperty("voc07_mAP").GetDouble(), 1e-3);
    }

    [Theory]
    [InlineData("--tile 150 --overlap 0.25")]
    [InlineData("--nms-threshold 0.2 --conf-threshold 0.3 --top-k 3 --class-agnostic")]
    public void EvaluationScoresWhatDetectGivesWithTheSameOptions(string optionLine)
    {
        var options = optionLine.Split(' ');
        using var temp = new TempFolder();
        SyntheticDataset.Generate(temp.Root, new SyntheticDatasetOptions { Images = 10, Seed = 5 });
        var detections = temp.Path("dets.json");
        var images = File.ReadAllLines(temp.Path("ImageSets", "Main", "test.txt")).Select(id => temp.Path("JPEGImages", id + ".jpg"));
        // detect caps an image's detections at 200, evaluation keeps them all.
        var detected = CliRunner.Run(["detect", .. images, .. options, "--max-detections", "0", "--backend", "libtorch", "--output", detections]);
        Assert.True(detected.ExitCode == 0, detected.Stderr);

        var evaluated = CliRunner.Run(["eval", "--data", "VOC:" + temp.Root, .. options, "--backend", "libtorch", "--metric", "both", "--format", "json"]);
        var scored = CliRunner.Run("eval", "--data", "VOC:" + temp.Root, "--detections", detections, "--config", "shapes300", "--metric", "both", "--format", "json");
        var plain = CliRunner.Run("eval", "--data", "VOC:" + temp.Root, "--backend", "libtorch", "--metric", "both", "--format", "json");
        Assert.True(evaluated.ExitCode == 0 && scored.ExitCode == 0 && plain.ExitCode == 0, evaluated.Stderr + scored.Stderr + plain.Stderr);
        double Ap(CliRunner.Result r) => JsonDocument.Parse(r.Stdout).RootElement.GetProperty("coco").GetProperty("AP").GetDouble();
        // The saved file rounds boxes to 0.01 pixel and scores to 1e-6.
        Assert.Equal(Ap(scored), Ap(evaluated), 1e-3);
        Assert.NotEqual(Ap(plain), Ap(evaluated), 3);
    }
}
