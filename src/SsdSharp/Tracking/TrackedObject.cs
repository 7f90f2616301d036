using SsdSharp.Boxes;

namespace SsdSharp.Tracking;

/// <summary>An object a tracker follows, as of the latest frame.</summary>
/// <param name="TrackId">Its id, stable across frames (1, 2, … in order of confirmation).</param>
/// <param name="ClassId">The class of the detections that continue it.</param>
/// <param name="Detection">The index of the frame's detection that it matched (in the list given to the tracker).</param>
/// <param name="Box">The matched detection's box.</param>
/// <param name="Trail">Its recent box centres, oldest first, the current one last.</param>
public sealed record TrackedObject(int TrackId, int ClassId, int Detection, PixelBox Box, IReadOnlyList<(float X, float Y)> Trail);
