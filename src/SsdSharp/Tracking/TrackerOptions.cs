namespace SsdSharp.Tracking;

/// <summary>The settings of <see cref="ObjectTracker"/> (ByteTrack's association on SORT's filter; docs/video.md).</summary>
public sealed record TrackerOptions
{
    /// <summary>Detections scoring at least this are matched first and may start tracks (ByteTrack's high threshold).</summary>
    public double HighScore { get; init; } = 0.5;

    /// <summary>Detections scoring at least this (and below <see cref="HighScore"/>) may continue a track but never start one.</summary>
    public double LowScore { get; init; } = 0.1;

    /// <summary>The least IoU of a predicted box and a high-scoring detection for them to be matched.</summary>
    public double MatchIou { get; init; } = 0.2;

    /// <summary>The least IoU for a low-scoring detection to continue a track (stricter: such boxes are often wrong).</summary>
    public double LowMatchIou { get; init; } = 0.5;

    /// <summary>Frames a track survives without a detection (occlusion) before it ends.</summary>
    public int MaxAge { get; init; } = 30;

    /// <summary>Consecutive matched frames before a new track gets its id (1: at once).</summary>
    public int MinHits { get; init; } = 2;

    /// <summary>Points of each track's trail kept for drawing.</summary>
    public int TrailLength { get; init; } = 30;

    /// <summary>Whether only detections of a track's own class may continue it.</summary>
    public bool ClassAware { get; init; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="SsdInputException">A value is out of range.</exception>
    public TrackerOptions Validate()
    {
        if (!(LowScore is >= 0 and <= 1) || !(HighScore >= LowScore && HighScore <= 1))
            throw new SsdInputException($"tracker scores: need 0 ≤ low ≤ high ≤ 1, got low {LowScore}, high {HighScore}");
        if (!(MatchIou is > 0 and <= 1) || !(LowMatchIou is > 0 and <= 1))
            throw new SsdInputException($"tracker IoU thresholds: must be in (0, 1], got {MatchIou} and {LowMatchIou}");
        if (MaxAge < 0) throw new SsdInputException($"tracker max age: must not be negative, got {MaxAge}");
        if (MinHits < 1) throw new SsdInputException($"tracker min hits: must be at least 1, got {MinHits}");
        if (TrailLength < 0) throw new SsdInputException($"tracker trail length: must not be negative, got {TrailLength}");
        return this;
    }
}
