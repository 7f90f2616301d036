using SsdSharp.Boxes;
using SsdSharp.Inference;

namespace SsdSharp.Tracking;

/// <summary>
/// Gives detected objects ids that stay the same from frame to frame: ByteTrack's association (Zhang et al., 2022)
/// on SORT's constant-velocity Kalman filter (<see cref="BoxKalmanFilter"/>). Each frame, every track predicts its
/// box; high-scoring detections are matched to all tracks by IoU with the Hungarian method, then low-scoring ones to
/// the tracks seen in the previous frame that are still unmatched (a partly hidden object scores low but is still
/// there); unmatched high-scoring detections start tracks, which get an id after <see cref="TrackerOptions.MinHits"/>
/// frames in a row; a track not seen for <see cref="TrackerOptions.MaxAge"/> frames ends.
/// </summary>
/// <example>
/// <code>
/// var tracker = new ObjectTracker();
/// foreach (var frame in frames)
///     foreach (var t in tracker.Update(detector.Detect(frame).Detections))
///         Console.WriteLine($"#{t.TrackId} {t.Box}");
/// </code>
/// </example>
public sealed class ObjectTracker(TrackerOptions? options = null)
{
    private readonly TrackerOptions _options = (options ?? new TrackerOptions()).Validate();
    private readonly List<Track> _tracks = [];
    private int _nextId = 1;

    /// <summary>Tracks alive now, confirmed or not (for tests and diagnostics).</summary>
    public int LiveTracks => _tracks.Count;

    /// <summary>Takes the next frame's detections; returns the confirmed tracks they continue, by detection index.</summary>
    /// <param name="detections">All of the frame's detections, low-scoring ones included (they rescue hidden objects).</param>
    public IReadOnlyList<TrackedObject> Update(IReadOnlyList<Detection> detections)
    {
        foreach (var track in _tracks) track.Predict();
        var high = Enumerable.Range(0, detections.Count).Where(i => detections[i].Score >= _options.HighScore).ToList();
        var low = Enumerable.Range(0, detections.Count)
            .Where(i => detections[i].Score >= _options.LowScore && detections[i].Score < _options.HighScore).ToList();

        var matches = new List<(Track Track, int Detection)>();
        var unmatchedHigh = Associate(_tracks, high, detections, _options.MatchIou, matches);
        var recent = _tracks.Where(t => t.MissedFrames == 1 && !matches.Any(m => m.Track == t)).ToList();
        Associate(recent, low, detections, _options.LowMatchIou, matches);

        var results = new List<TrackedObject>();
        foreach (var (track, index) in matches)
        {
            track.Update(detections[index].Box, _options.TrailLength);
            if (track.Id == 0 && track.Hits >= _options.MinHits) track.Id = _nextId++;
        }
        // Unconfirmed tracks end at their first miss (they were probably false positives); confirmed ones wait.
        _tracks.RemoveAll(t => t.MissedFrames > 0 && (t.Id == 0 || t.MissedFrames > _options.MaxAge));
        foreach (int index in unmatchedHigh)
        {
            var track = new Track(detections[index].Box, detections[index].ClassId, _options.TrailLength);
            if (_options.MinHits <= 1) track.Id = _nextId++;
            _tracks.Add(track);
            matches.Add((track, index));
        }
        foreach (var (track, index) in matches.OrderBy(m => m.Detection))
        {
            if (track.Id != 0) results.Add(new TrackedObject(track.Id, track.ClassId, index, detections[index].Box, track.Trail.ToArray()));
        }
        return results;
    }

    /// <summary>Matches <paramref name="candidates"/> to <paramref name="tracks"/> by IoU with their predicted boxes; returns the unmatched candidates.</summary>
    private List<int> Associate(List<Track> tracks, List<int> candidates, IReadOnlyList<Detection> detections, double minIou,
        List<(Track, int)> matches)
    {
        var cost = new double[tracks.Count, candidates.Count];
        for (int t = 0; t < tracks.Count; t++)
        {
            for (int c = 0; c < candidates.Count; c++)
            {
                var detection = detections[candidates[c]];
                bool allowed = !_options.ClassAware || detection.ClassId == tracks[t].ClassId;
                cost[t, c] = allowed ? 1 - PixelBox.Iou(tracks[t].Predicted, detection.Box) : 2;
            }
        }
        var unmatched = new HashSet<int>(candidates);
        foreach (var (t, c) in LinearAssignment.Solve(cost, 1 - minIou))
        {
            matches.Add((tracks[t], candidates[c]));
            unmatched.Remove(candidates[c]);
        }
        return candidates.Where(unmatched.Contains).ToList();
    }

    /// <summary>One followed object: its filter, the frames it has been seen and missed, its trail.</summary>
    private sealed class Track
    {
        private readonly BoxKalmanFilter _filter;

        public Track(PixelBox box, int classId, int trailLength)
        {
            _filter = new BoxKalmanFilter(box);
            ClassId = classId;
            Predicted = box;
            Hits = 1;
            AddToTrail(box, trailLength);
        }

        /// <summary>0 until confirmed.</summary>
        public int Id { get; set; }

        public int ClassId { get; }

        /// <summary>Frames matched in a row.</summary>
        public int Hits { get; private set; }

        /// <summary>Frames since the last match (1 right after a prediction for a track matched in the previous frame).</summary>
        public int MissedFrames { get; private set; }

        public PixelBox Predicted { get; private set; }

        public Queue<(float X, float Y)> Trail { get; } = new();

        public void Predict()
        {
            Predicted = _filter.Predict();
            if (MissedFrames > 0) Hits = 0;
            MissedFrames++;
        }

        public void Update(PixelBox box, int trailLength)
        {
            _filter.Update(box);
            MissedFrames = 0;
            Hits++;
            AddToTrail(box, trailLength);
        }

        private void AddToTrail(PixelBox box, int trailLength)
        {
            Trail.Enqueue(((box.X1 + box.X2) / 2, (box.Y1 + box.Y2) / 2));
            while (Trail.Count > trailLength) Trail.Dequeue();
        }
    }
}
