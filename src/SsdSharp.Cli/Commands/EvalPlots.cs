using SsdSharp.Evaluation;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// The charts of <c>ssd eval --plots DIR</c>: one precision–recall curve per class (<c>pr_NAME.png</c>) and a
/// bar chart of AP per class (<c>ap_per_class.png</c>). VOC curves are the raw points (one per detection);
/// with COCO only, the curve is the interpolated precision at IoU 0.50.
/// </summary>
internal static class EvalPlots
{
    private const int Width = 800, Height = 600;

    /// <summary>Writes the charts; returns the files written.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var names = new List<string>();
        var values = new List<double>();
        if (report.Voc is { } voc)
        {
            foreach (var c in voc.Classes)
            {
                files.Add(WriteCurve(folder, c.Name, c.Curve, c.Ap07, "VOC07 AP"));
                names.Add(c.Name);
                values.Add(c.Ap07 ?? 0);
            }
            files.Add(WriteBars(folder, names, values, "VOC07 11-point AP", voc.Map07));
        }
        else
        {
            var coco = report.Coco!;
            foreach (var c in coco.Classes)
            {
                files.Add(WriteCurve(folder, c.Name, c.Curve50, c.AP50, "COCO AP50"));
                names.Add(c.Name);
                values.Add(c.AP ?? 0);
            }
            files.Add(WriteBars(folder, names, values, "COCO AP (IoU 0.50:0.95)", coco.Metrics.AP));
        }
        return files;
    }

    private static string WriteCurve(string folder, string name, PrecisionRecallCurve curve, double? ap, string metric)
    {
        var plot = new ScottPlot.Plot();
        if (curve.Recall.Count > 0)
        {
            var line = plot.Add.ScatterLine(curve.Recall.ToArray(), curve.Precision.ToArray());
            line.MarkerSize = 0;
        }
        plot.Title(ap is { } value ? $"{name}: {metric} {value:F4}" : $"{name}: no ground truth");
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        var path = Path.Combine(folder, $"pr_{SafeFileName(name)}.png");
        plot.SavePng(path, Width, Height);
        return path;
    }

    private static string WriteBars(string folder, List<string> names, List<double> values, string metric, double? mean)
    {
        var plot = new ScottPlot.Plot();
        var positions = Enumerable.Range(0, names.Count).Select(i => (double)i).ToArray();
        plot.Add.Bars(positions, values);
        plot.Axes.Bottom.SetTicks(positions, names.ToArray());
        // Many class names only fit slanted.
        plot.Axes.Bottom.TickLabelStyle.Rotation = names.Count > 8 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = names.Count > 8 ? ScottPlot.Alignment.MiddleLeft : ScottPlot.Alignment.UpperCenter;
        plot.Axes.SetLimitsY(0, 1);
        plot.Title(mean is { } m ? $"{metric} per class (mean {m:F4})" : $"{metric} per class");
        var path = Path.Combine(folder, "ap_per_class.png");
        plot.SavePng(path, Math.Max(Width, 40 * names.Count), Height);
        return path;
    }

    /// <summary>A class name made safe as a file name part.</summary>
    private static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
    }
}
