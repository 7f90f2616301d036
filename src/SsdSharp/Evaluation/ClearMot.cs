using SsdSharp.Boxes;
using SsdSharp.Tracking;

namespace SsdSharp.Evaluation;

/// <summary>An object of a frame's ground truth for <see cref="ClearMot"/>.</summary>
/// <param name="ObjectId">Its identity, the same in every frame.</param>
/// <param name="Box">Its visible box.</param>
/// <param name="Ignored">Too hidden or small to be required (difficult): missing it is no error, and a track on it no false positive.</param>
public readonly record struct TruthObject(int ObjectId, PixelBox Box, bool Ignored = false);

/// <summary>A tracker's output object for <see cref="ClearMot"/>.</summary>
/// <param name="TrackId">The tracker's id for it.</param>
/// <param name="Box">Its box.</param>
public readonly record struct TrackHypothesis(int TrackId, PixelBox Box);

/// <summary>
/// The CLEAR MOT measures (Bernardin and Stiefelhagen, 2008) of a tracker against ground truth, frame by frame:
/// a truth and a track correspond when their boxes overlap by at least <see cref="MinIou"/>; a correspondence of
/// the previous frame is kept while it still overlaps enough, the rest are paired by the Hungarian method on IoU.
/// An ID switch is a truth paired with another track than the one it was last paired with.
/// MOTA = 1 − (misses + false positives + ID switches) / truths; MOTP is the mean IoU of the pairs.
/// </summary>
public sealed class ClearMot(double minIou = 0.5)
{
    private readonly Dictionary<int, int> _lastTrackOf = [];
    private double _iouSum;

    /// <summary>The least IoU of a truth and a track that correspond.</summary>
    public double MinIou { get; } = minIou;

    /// <summary>Frames seen.</summary>
    public int Frames { get; private set; }

    /// <summary>Truths that had to be found (not ignored), over all frames.</summary>
    public int Truths { get; private set; }

    /// <summary>Truth–track pairs, over all frames.</summary>
    public int Matches { get; private set; }

    /// <summary>Truths without a track (FN).</summary>
    public int Misses { get; private set; }

    /// <summary>Tracks on no truth (FP).</summary>
    public int FalsePositives { get; private set; }

    /// <summary>Truths paired with another track than before (IDSW).</summary>
    public int IdSwitches { get; private set; }

    /// <summary>Truth objects ever paired with a track.</summary>
    public int ObjectsSeen => _lastTrackOf.Count;

    /// <summary>Multiple object tracking accuracy: 1 − (FN + FP + IDSW) / truths (may be negative).</summary>
    public double Mota => Truths == 0 ? 0 : 1 - (double)(Misses + FalsePositives + IdSwitches) / Truths;

    /// <summary>Multiple object tracking precision: the mean IoU of the pairs.</summary>
    public double Motp => Matches == 0 ? 0 : _iouSum / Matches;

    /// <summary>Scores one frame.</summary>
    public void Add(IReadOnlyList<TruthObject> truths, IReadOnlyList<TrackHypothesis> tracks)
    {
        Frames++;
        var pairs = new List<(int Truth, int Track)>();
        var freeTruths = Enumerable.Range(0, truths.Count).ToHashSet();
        var freeTracks = Enumerable.Range(0, tracks.Count).ToHashSet();
        // Keep last frame's pairs that still overlap: a tracker is not penalised for a better-fitting rival track.
        for (int g = 0; g < truths.Count; g++)
        {
            if (!_lastTrackOf.TryGetValue(truths[g].ObjectId, out int last)) continue;
            int h = Enumerable.Range(0, tracks.Count).FirstOrDefault(i => freeTracks.Contains(i) && tracks[i].TrackId == last, -1);
            if (h >= 0 && PixelBox.Iou(truths[g].Box, tracks[h].Box) >= MinIou)
            {
                pairs.Add((g, h));
                freeTruths.Remove(g);
                freeTracks.Remove(h);
            }
        }
        var g2 = freeTruths.Order().ToList();
        var h2 = freeTracks.Order().ToList();
        var cost = new double[g2.Count, h2.Count];
        for (int i = 0; i < g2.Count; i++)
        {
            for (int j = 0; j < h2.Count; j++) cost[i, j] = 1 - PixelBox.Iou(truths[g2[i]].Box, tracks[h2[j]].Box);
        }
        foreach (var (i, j) in LinearAssignment.Solve(cost, 1 - MinIou))
        {
            pairs.Add((g2[i], h2[j]));
            freeTruths.Remove(g2[i]);
            freeTracks.Remove(h2[j]);
        }

        foreach (var (g, h) in pairs)
        {
            // A track on an ignored truth is neither a hit nor an error.
            if (truths[g].Ignored) continue;
            Matches++;
            _iouSum += PixelBox.Iou(truths[g].Box, tracks[h].Box);
            int id = truths[g].ObjectId;
            if (_lastTrackOf.TryGetValue(id, out int last) && last != tracks[h].TrackId) IdSwitches++;
            _lastTrackOf[id] = tracks[h].TrackId;
        }
        Truths += truths.Count(t => !t.Ignored);
        Misses += freeTruths.Count(g => !truths[g].Ignored);
        FalsePositives += freeTracks.Count;
    }

    /// <summary>The figures on one line.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"MOTA {Mota:F3}, MOTP {Motp:F3}, ID switches {IdSwitches}, misses {Misses}, false positives {FalsePositives}, truths {Truths}, frames {Frames}");
}
