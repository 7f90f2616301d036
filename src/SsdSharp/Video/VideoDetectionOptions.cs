using SsdSharp.Inference;
using SsdSharp.Tracking;

namespace SsdSharp.Video;

/// <summary>What <see cref="VideoDetection.DetectAsync"/> does beyond detecting each frame.</summary>
public sealed record VideoDetectionOptions
{
    /// <summary>Follow objects across frames with these settings; null: no tracking.</summary>
    public TrackerOptions? Tracking { get; init; }

    /// <summary>Detect each frame in tiles; null: whole frames.</summary>
    public TileOptions? Tiles { get; init; }
}
