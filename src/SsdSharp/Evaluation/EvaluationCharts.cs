using SsdSharp.Imaging;
using SsdSharp.IO;

namespace SsdSharp.Evaluation;

/// <summary>
/// The charts of an evaluation: one precision–recall curve per class (<c>pr_NAME.png</c>) and a bar chart
/// of AP per class (<c>ap_per_class.png</c>). VOC curves are the raw points (one per detection); with COCO
/// only, the curve is the interpolated precision at IoU 0.50.
/// </summary>
public static class EvaluationCharts
{
    /// <summary>Writes the charts of <paramref name="report"/> into <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        // Class names may hold characters no file name can, run to any length, or meet once made safe.
        var fileNames = new DistinctFileNames("pr_", ".png");
        var names = new List<string>();
        var values = new List<double>();
        string barsTitle;
        if (report.Voc is { } voc)
        {
            foreach (var c in voc.Classes)
            {
                files.Add(WriteCurve(Path.Combine(folder, fileNames.For(c.Name)), c.Name, c.Curve, c.Ap07, "VOC07 AP"));
                names.Add(c.Name);
                values.Add(c.Ap07 ?? 0);
            }
            barsTitle = Title("VOC07 11-point AP", voc.Map07);
        }
        else
        {
            var coco = report.Coco ?? throw new ArgumentException("the report holds neither VOC nor COCO results", nameof(report));
            foreach (var c in coco.Classes)
            {
                files.Add(WriteCurve(Path.Combine(folder, fileNames.For(c.Name)), c.Name, c.Curve50, c.AP50, "COCO AP50"));
                names.Add(c.Name);
                values.Add(c.AP ?? 0);
            }
            barsTitle = Title("COCO AP (IoU 0.50:0.95)", coco.Metrics.AP);
        }
        var bars = Path.Combine(folder, "ap_per_class.png");
        Charts.SaveBars(bars, barsTitle, names, values);
        files.Add(bars);
        return files;
    }

    private static string Title(string metric, double? mean) => mean is { } m ? $"{metric} per class (mean {m:F4})" : $"{metric} per class";

    private static string WriteCurve(string path, string name, PrecisionRecallCurve curve, double? ap, string metric)
    {
        Charts.SaveLines(path, ap is { } value ? $"{name}: {metric} {value:F4}" : $"{name}: no ground truth", "recall", "precision",
            [new ChartSeries(null, curve.Recall.ToArray(), curve.Precision.ToArray())], limits: (0, 1, 0, 1.02), width: 800, height: 600);
        return path;
    }
}
