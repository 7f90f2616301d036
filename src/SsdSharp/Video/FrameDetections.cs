using System.Text.Json.Nodes;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Tracking;

namespace SsdSharp.Video;

/// <summary>The detections of one video frame, with their track ids when tracking.</summary>
/// <param name="Video">The source's name.</param>
/// <param name="Frame">The frame (its pixels too, for drawing).</param>
/// <param name="Result">The detections in pixels of the frame, by descending score.</param>
/// <param name="Tracks">With tracking: the confirmed tracks that detections of this frame continue; else null.</param>
public sealed record FrameDetections(string Video, VideoFrame Frame, ImageDetections Result, IReadOnlyList<TrackedObject>? Tracks)
{
    /// <summary>The track id of detection <paramref name="index"/> of <see cref="Result"/>, if a confirmed track took it.</summary>
    public int? TrackIdOf(int index) => Tracks?.FirstOrDefault(t => t.Detection == index)?.TrackId;

    /// <summary>
    /// The frame's JSON Lines object (docs/video.md): <c>{"video", "frame", "time", "width", "height", "detections"}</c>,
    /// each detection as in <c>ssd detect</c>'s JSON, plus <c>"track_id"</c> (an integer, or null for a detection no
    /// track took) when tracking.
    /// </summary>
    public JsonObject ToJsonObject()
    {
        var detections = new JsonArray();
        for (int i = 0; i < Result.Detections.Count; i++)
        {
            var json = DetectionFileWriter.ToJsonObject(Result.Detections[i]);
            if (Tracks != null) json["track_id"] = TrackIdOf(i);
            detections.Add(json);
        }
        return new JsonObject
        {
            ["video"] = Video,
            ["frame"] = Frame.Index,
            ["time"] = Math.Round(Frame.Time, 6),
            ["width"] = Result.Width,
            ["height"] = Result.Height,
            ["detections"] = detections,
        };
    }
}
