using SsdSharp.Imaging;

namespace SsdSharp.Training;

/// <summary>Draws the losses of a training log as a PNG line chart.</summary>
public static class LossCurve
{
    /// <summary>File name of the chart in the output directory.</summary>
    public const string FileName = "loss_curve.png";

    /// <summary>
    /// Plots <c>loss_l</c>, <c>loss_c</c> and their sum against the iteration, each smoothed by a
    /// moving average over about a hundredth of the run, as the raw per-batch losses are noisy.
    /// </summary>
    /// <param name="entries">(iteration, loss_l, loss_c) in iteration order, as <see cref="TrainingLog.ReadLosses"/> returns.</param>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">Chart title, e.g. the configuration's name.</param>
    public static void Save(IReadOnlyList<(long Iteration, double LocalizationLoss, double ConfidenceLoss)> entries, string path, string title)
    {
        int window = Math.Max(1, entries.Count / 100);
        var xs = entries.Select(e => (double)e.Iteration).ToArray();
        Charts.SaveLines(path, title, "iteration", "loss",
        [
            new ChartSeries("loss", xs, Smooth(entries.Select(e => e.LocalizationLoss + e.ConfidenceLoss).ToArray(), window)),
            new ChartSeries("loss_l", xs, Smooth(entries.Select(e => e.LocalizationLoss).ToArray(), window)),
            new ChartSeries("loss_c", xs, Smooth(entries.Select(e => e.ConfidenceLoss).ToArray(), window)),
        ]);
    }

    /// <summary>Trailing moving average over <paramref name="window"/> values.</summary>
    private static double[] Smooth(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
