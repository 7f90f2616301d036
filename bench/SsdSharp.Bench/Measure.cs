using System.Diagnostics;

namespace SsdSharp.Bench;

/// <summary>Timing helpers: warm-up runs, then the median of measured runs.</summary>
internal static class Measure
{
    /// <summary>Median wall-clock milliseconds of <paramref name="runs"/> calls after <paramref name="warmup"/> unmeasured ones.</summary>
    public static double MedianMs(Action action, int runs, int warmup = 2) => Median(SortedMs(action, runs, warmup));

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two of an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Wall-clock milliseconds of <paramref name="runs"/> calls after <paramref name="warmup"/> unmeasured ones, ascending.</summary>
    public static double[] SortedMs(Action action, int runs, int warmup = 2)
    {
        for (int i = 0; i < warmup; i++) action();
        var samples = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return samples;
    }

    /// <summary>Peak resident memory of this process so far, in MB.</summary>
    public static double PeakMb() => Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    /// <summary>The one-minute load average (other processes' work skews every figure), or n/a.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
