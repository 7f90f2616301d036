using System.Globalization;

namespace SsdSharp.Bulk;

/// <summary>The figures of a <see cref="BulkDetection"/> run.</summary>
/// <param name="InShard">Images of the shard.</param>
/// <param name="Skipped">Images that had a line already (a resumed run).</param>
/// <param name="Detected">Images detected in this run.</param>
/// <param name="Failed">Images of this run that could not be read (each has an error line).</param>
/// <param name="FailedBefore">Images with an error line from an earlier run.</param>
/// <param name="Elapsed">Time of this run's detection, model loading excluded.</param>
public sealed record BulkDetectionSummary(int InShard, int Skipped, int Detected, int Failed, int FailedBefore, TimeSpan Elapsed)
{
    /// <summary>Images done (detected or failed) per second in this run; 0 when none was.</summary>
    public double ImagesPerSecond => Detected + Failed == 0 || Elapsed <= TimeSpan.Zero ? 0 : (Detected + Failed) / Elapsed.TotalSeconds;

    /// <summary>Images of the shard whose line is an error, from this run or an earlier one.</summary>
    public int Errors => Failed + FailedBefore;

    /// <summary>One line for a log: counts, time and throughput.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{InShard} image(s): {Detected} detected, {Failed} unreadable, {Skipped} done before{(FailedBefore > 0 ? $" ({FailedBefore} unreadable)" : "")}; " +
        $"{Elapsed.TotalSeconds:F1} s, {ImagesPerSecond:F1} images/s");
}
