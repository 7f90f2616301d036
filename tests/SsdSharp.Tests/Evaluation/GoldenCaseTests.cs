using SsdSharp.Evaluation;

namespace SsdSharp.Tests.Evaluation;

/// <summary>Both protocols reproduce the golden case from both ground-truth forms and both detection file forms.</summary>
public class GoldenCaseTests
{
    public static TheoryData<string, string> Forms => new()
    {
        { "voc", "detections.json" },
        { "coco", "coco_results.json" },
        { "coco", "detections.json" },
    };

    private static (SsdSharp.Data.AnnotatedDataset Truth, IReadOnlyDictionary<string, IReadOnlyList<SsdSharp.Inference.Detection>> Detections) Load(string data, string file)
    {
        var truth = data == "voc" ? CaseA.Voc() : CaseA.Coco();
        return (truth, DetectionFileReader.Read(CaseA.File(file), truth));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void VocApMatchesTheDevkitToSixDecimals(string data, string file)
    {
        var (truth, detections) = Load(data, file);
        var result = VocEvaluator.Evaluate(truth.Images, detections, truth.ClassNames);
        var expected = CaseA.Expected();
        foreach (var c in result.Classes)
        {
            Assert.Equal(expected.GetProperty("voc07_11point").GetProperty(c.Name).GetDouble(), c.Ap07!.Value, 1e-6);
            Assert.Equal(expected.GetProperty("voc_area").GetProperty(c.Name).GetDouble(), c.ApArea!.Value, 1e-6);
        }
        Assert.Equal(expected.GetProperty("voc07_mAP").GetDouble(), result.Map07!.Value, 1e-6);
        Assert.Equal(expected.GetProperty("voc_area_mAP").GetDouble(), result.MapArea!.Value, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void CocoTwelveNumbersMatchPycocotoolsToFourDecimals(string data, string file)
    {
        var (truth, detections) = Load(data, file);
        var metrics = CocoEvaluator.Evaluate(truth.Images, detections, truth.ClassNames).Metrics;
        var expected = CaseA.Expected().GetProperty("coco");
        for (var i = 0; i < CocoMetrics.Names.Count; i++)
        {
            Assert.True(Math.Abs(expected.GetProperty(CocoMetrics.Names[i]).GetDouble() - metrics.Values[i]) <= 1e-4,
                $"{CocoMetrics.Names[i]}: expected {expected.GetProperty(CocoMetrics.Names[i]).GetDouble()}, got {metrics.Values[i]}");
        }
    }
}
