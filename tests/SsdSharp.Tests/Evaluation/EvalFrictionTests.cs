using System.Text.Json;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Evaluation;

/// <summary>
/// <c>ssd eval</c> of precomputed detections needs the annotations only, and says how to give the classes
/// when the ground truth cannot know them (issue 9, part 3).
/// </summary>
public sealed class EvalFrictionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CocoAnnotationsAndResultsAreScoredWithoutTheImages()
    {
        // The annotation file alone, in a folder without a single image.
        var annotations = _temp.Copy(CaseA.File("instances_test.json"), "instances_test.json");
        var hashes = FileHashes.Of(annotations);
        var result = CliRunner.Run("eval", "--data", "COCO:" + annotations, "--detections", CaseA.File("coco_results.json"), "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal(CaseA.Expected().GetProperty("coco").GetProperty("AP").GetDouble(), report.RootElement.GetProperty("coco").GetProperty("AP").GetDouble(), 1e-4);
        hashes.AssertUnchanged();
    }

    [Fact]
    public void AClassWithoutObjectsInTheSplitIsExplainedAndTakenFromTheConfig()
    {
        var root = _temp.Folder("voc");
        _temp.Write("000001\n", "voc", "ImageSets", "Main", "test.txt");
        _temp.Write("""
            <annotation><filename>000001.jpg</filename><size><width>100</width><height>80</height><depth>3</depth></size>
            <object><name>square</name><difficult>0</difficult><bndbox><xmin>11</xmin><ymin>11</ymin><xmax>41</xmax><ymax>41</ymax></bndbox></object></annotation>
            """, "voc", "Annotations", "000001.xml");
        var detections = _temp.Write("""
            [{"image": "JPEGImages/000001.jpg", "width": 100, "height": 80, "detections": [
              {"label": "square", "class_id": 2, "score": 0.9, "box": [10, 10, 40, 40]},
              {"label": "circle", "class_id": 1, "score": 0.5, "box": [50, 20, 70, 40]}]}]
            """, "detections.json");
        var hashes = FileHashes.Of(_temp.Root);

        var unknown = CliRunner.Run("eval", "--data", "VOC:" + root, "--detections", detections);
        CliAssert.OneLineError(unknown, $"{detections}: item 0 (image 'JPEGImages/000001.jpg'), detection 1 has unknown class 'circle'",
            $"Without --config the classes are those of the objects in VOC:{root}", "--config");

        var known = CliRunner.Run("eval", "--data", "VOC:" + root, "--detections", detections, "--config", "shapes300", "--format", "json");
        Assert.True(known.ExitCode == 0, known.Stderr);
        using var report = JsonDocument.Parse(known.Stdout);
        var perClass = report.RootElement.GetProperty("per_class");
        Assert.Equal(1.0, perClass.GetProperty("square").GetProperty("voc07").GetDouble(), 1e-9);
        Assert.Equal(0, perClass.GetProperty("circle").GetProperty("num_gt").GetInt32());
        hashes.AssertUnchanged();
    }

    [Fact]
    public void ModelFileGivesTheClasses()
    {
        var bundled = BundledDetector.ModelPath;
        var result = CliRunner.Run("eval", "--data", CaseA.VocSpec, "--detections", CaseA.File("detections.json"), "--config", bundled, "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal(5, report.RootElement.GetProperty("per_class").EnumerateObject().Count());
    }
}
