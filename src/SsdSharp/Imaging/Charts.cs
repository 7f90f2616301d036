using SsdSharp.IO;

namespace SsdSharp.Imaging;

/// <summary>One line of a <see cref="Charts.SaveLines"/> chart.</summary>
/// <param name="Label">Legend text; null for none.</param>
/// <param name="X">Horizontal values.</param>
/// <param name="Y">Vertical values, one per <paramref name="X"/>.</param>
public sealed record ChartSeries(string? Label, double[] X, double[] Y);

/// <summary>
/// The PNG charts SsdSharp writes (training loss curves, precision–recall curves, AP bars): the one
/// place that draws charts, with ScottPlot, each file written atomically.
/// </summary>
public static class Charts
{
    /// <summary>A line chart of <paramref name="series"/>.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    /// <param name="yLabel">Vertical axis label.</param>
    /// <param name="series">The lines; a legend is shown when any has a label.</param>
    /// <param name="limits">Axis limits (x min, x max, y min, y max); automatic when null.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void SaveLines(string path, string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series,
        (double XMin, double XMax, double YMin, double YMax)? limits = null, int width = 900, int height = 500)
    {
        var plot = new ScottPlot.Plot();
        foreach (var s in series.Where(s => s.X.Length > 0))
        {
            var line = plot.Add.ScatterLine(s.X, s.Y);
            line.MarkerSize = 0;
            if (s.Label != null) line.LegendText = s.Label;
        }
        if (series.Any(s => s.Label != null && s.X.Length > 0)) plot.ShowLegend();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (limits is var (x0, x1, y0, y1)) plot.Axes.SetLimits(x0, x1, y0, y1);
        Save(plot, path, width, height);
    }

    /// <summary>A bar chart with one named bar per value, values in [0, 1] (AP per class).</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="names">The bars' names.</param>
    /// <param name="values">The bars' heights.</param>
    /// <param name="height">Image height; the width grows with the number of bars.</param>
    public static void SaveBars(string path, string title, IReadOnlyList<string> names, IReadOnlyList<double> values, int height = 600)
    {
        var plot = new ScottPlot.Plot();
        var positions = Enumerable.Range(0, names.Count).Select(i => (double)i).ToArray();
        plot.Add.Bars(positions, values.ToArray());
        plot.Axes.Bottom.SetTicks(positions, names.ToArray());
        // Many names only fit slanted.
        plot.Axes.Bottom.TickLabelStyle.Rotation = names.Count > 8 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = names.Count > 8 ? ScottPlot.Alignment.MiddleLeft : ScottPlot.Alignment.UpperCenter;
        plot.Axes.SetLimitsY(0, 1);
        plot.Title(title);
        Save(plot, path, Math.Max(800, 40 * names.Count), height);
    }

    private static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        BundledFont.RegisterWithCharts();
        plot.Font.Set(BundledFont.FamilyName);
        var png = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
