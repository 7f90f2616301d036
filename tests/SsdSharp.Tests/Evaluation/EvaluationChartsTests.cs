using SsdSharp.Boxes;
using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Evaluation;

/// <summary>
/// Every class gets its own precision–recall chart, whatever its name: names that become the same file name, differ
/// only in case, or are longer than a file name may be.
/// </summary>
public sealed class EvaluationChartsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EachClassHasItsOwnChartEvenWhenTheirNamesMeetOrRunLong()
    {
        string longName = new('x', 300);
        string[] classes = ["a b", "a_b", "A_B", "a/b", longName, "ünï 日本"];
        var objects = classes.Select((_, k) => new ObjectAnnotation(k + 1, classes[k], 10 + 20 * k, 10, 25 + 20 * k, 25)).ToList();
        var truth = new[] { new ImageAnnotation("1", "1.jpg", 200, 50, objects) };
        var detections = new Dictionary<string, IReadOnlyList<Detection>>
        {
            ["1"] = objects.Select(o => new Detection(o.ClassId, o.Label, 0.9f, new PixelBox(o.X1, o.Y1, o.X2, o.Y2))).ToList(),
        };
        var report = ModelEvaluation.Score(truth, detections, classes, EvaluationMetric.Voc);

        var files = EvaluationCharts.Write(report, _temp.Path("plots"));

        Assert.Equal(classes.Length + 1, files.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(classes.Length + 1, Directory.GetFiles(_temp.Path("plots")).Length);
        Assert.Equal(["pr_a_b.png", "pr_a_b_2.png", "pr_A_B_3.png", "pr_a_b_4.png", $"pr_{new string('x', 48)}.png", "pr_ünï_日本.png"],
            files.Take(classes.Length).Select(Path.GetFileName));
    }
}
