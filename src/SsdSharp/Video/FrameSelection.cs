using System.Globalization;

namespace SsdSharp.Video;

/// <summary>Which frames of a source are detected: <c>--every</c>, <c>--start</c>, <c>--duration</c>, <c>--fps</c>.</summary>
public sealed record FrameSelection
{
    /// <summary>The largest <see cref="Every"/>: a frame a day at 25 frames/s is far past any use, and a slip such as 2000000000 is refused.</summary>
    public const int MaxEvery = 1_000_000;

    /// <summary>
    /// The largest <see cref="Start"/> and <see cref="Duration"/>, about 31 years: FFmpeg takes times as int64 microseconds
    /// and fails on 1e15 s with a message that blames the video, so a slip is refused here, naming the option.
    /// </summary>
    public const double MaxSeconds = 1e9;

    /// <summary>Detect every N-th frame (1: all), counted from the first frame read.</summary>
    public int Every { get; init; } = 1;

    /// <summary>Seconds into a file to start at (files only).</summary>
    public double Start { get; init; }

    /// <summary>Seconds to read; null: to the end (a live source: until stopped).</summary>
    public double? Duration { get; init; }

    /// <summary>
    /// The most frames per second to detect, <see cref="VideoWriter.MinFramesPerSecond"/> to <see cref="VideoWriter.MaxFramesPerSecond"/>
    /// (it is also the rate of an annotated video); null: no cap. Frames come faster are skipped: for a live source,
    /// whose frames do not wait, this keeps the detector from falling behind.
    /// </summary>
    public double? MaxFramesPerSecond { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="SsdInputException">A value is out of range.</exception>
    public FrameSelection Validate()
    {
        if (Every is < 1 or > MaxEvery) throw new SsdInputException($"--every: must be 1 to {MaxEvery}, got {Every}");
        if (!(Start is >= 0 and <= MaxSeconds)) throw new SsdInputException($"--start: must be 0 to {MaxSeconds:0e0} seconds, got {Start}");
        if (Duration is { } d && !(d is > 0 and <= MaxSeconds)) throw new SsdInputException($"--duration: must be more than 0 and at most {MaxSeconds:0e0} seconds, got {d}");
        if (MaxFramesPerSecond is { } f && !(f is >= VideoWriter.MinFramesPerSecond and <= VideoWriter.MaxFramesPerSecond))
            throw new SsdInputException($"--fps: must be {VideoWriter.MinFramesPerSecond} to {VideoWriter.MaxFramesPerSecond}, got {f}");
        return this;
    }

    /// <summary>The index of the first frame at or after <see cref="Start"/> in a source of <paramref name="framesPerSecond"/>.</summary>
    internal long FirstIndex(double framesPerSecond) => FramesIn(Start, framesPerSecond);

    /// <summary>How many frames start within <paramref name="seconds"/> at <paramref name="framesPerSecond"/> (a time a hair past a frame's, from rounding, still counts as that frame's).</summary>
    internal static long FramesIn(double seconds, double framesPerSecond) => (long)Math.Ceiling(seconds * framesPerSecond - 1e-6);

    /// <summary>
    /// The error for a source <paramref name="name"/> that gave no frame from <see cref="Start"/> (for <see cref="Duration"/>):
    /// a start after its last frame, a span between two, or an empty stream would otherwise give no detections with no word of why.
    /// </summary>
    /// <param name="name">The source, as its other errors name it.</param>
    /// <param name="length">Its length in seconds, when known.</param>
    internal SsdInputException NoFrame(string name, double? length)
    {
        var known = length is { } l ? string.Create(CultureInfo.InvariantCulture, $" (it is {l:0.###} s long)") : "";
        // A start past the end is the thing to change, whatever the duration; a frame at 0 lies in every span from 0, so
        // none there means an empty stream.
        bool pastEnd = length is { } end && Start >= end;
        return new SsdInputException((Start, Duration) switch
        {
            (0, null) => $"{name}: no frame at all{known}; expected a video stream that holds frames",
            (0, { } d) => string.Create(CultureInfo.InvariantCulture, $"{name}: no frame in its first {d} s{known}; expected a video stream that holds frames"),
            (_, { } d) when !pastEnd => string.Create(CultureInfo.InvariantCulture, $"{name}: no frame from --start {Start} s for --duration {d} s{known}; expected a span that holds a frame"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{name}: no frame at or after --start {Start} s{known}; expected an earlier start"),
        });
    }

    /// <summary>A test of whether a frame at a time (seconds) passes <see cref="MaxFramesPerSecond"/>, given the frames it passed before (one per reading).</summary>
    internal Func<double, bool> RateCap()
    {
        if (MaxFramesPerSecond is not { } cap) return _ => true;
        double nextAllowed = double.NegativeInfinity;
        return time =>
        {
            if (time + 1e-6 < nextAllowed) return false;
            // The first frame starts the schedule; after a gap, at most one frame early: the cap holds on average without a burst.
            nextAllowed = double.IsNegativeInfinity(nextAllowed) ? time + 1 / cap : Math.Max(nextAllowed + 1 / cap, time);
            return true;
        };
    }
}
