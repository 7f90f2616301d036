using System.Diagnostics;

namespace SsdSharp.Training;

/// <summary>
/// The speed figures of a training session: images per second over the last steps (what the progress
/// display shows), the share of time spent waiting for data, and the time left.
/// </summary>
internal sealed class ThroughputMeter(int window = 20)
{
    private readonly Queue<(double Seconds, int Images)> _recent = new();
    private readonly Stopwatch _session = Stopwatch.StartNew();
    private double _waitSeconds;

    /// <summary>Images trained on in this session.</summary>
    public long Images { get; private set; }

    /// <summary>Seconds since the session started.</summary>
    public double ElapsedSeconds => _session.Elapsed.TotalSeconds;

    /// <summary>Records a step of <paramref name="images"/> that took <paramref name="seconds"/>, <paramref name="waitSeconds"/> of them waiting for the batch.</summary>
    public void Add(double seconds, double waitSeconds, int images)
    {
        Images += images;
        _waitSeconds += waitSeconds;
        _recent.Enqueue((seconds, images));
        if (_recent.Count > window) _recent.Dequeue();
    }

    /// <summary>Images per second over the last steps.</summary>
    public double RecentImagesPerSecond => _recent.Sum(r => r.Images) / _recent.Sum(r => r.Seconds);

    /// <summary>Images per second over the session.</summary>
    public double SessionImagesPerSecond => ElapsedSeconds > 0 ? Images / ElapsedSeconds : 0;

    /// <summary>Share of the session spent waiting for data.</summary>
    public double DataWaitShare => ElapsedSeconds > 0 ? _waitSeconds / ElapsedSeconds : 0;

    /// <summary>Time for <paramref name="steps"/> more steps at the recent pace.</summary>
    public TimeSpan Remaining(long steps) => TimeSpan.FromSeconds(_recent.Sum(r => r.Seconds) / _recent.Count * steps);
}
