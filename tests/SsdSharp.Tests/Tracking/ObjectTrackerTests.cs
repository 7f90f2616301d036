using SsdSharp.Boxes;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Tracking;

namespace SsdSharp.Tests.Tracking;

public class ObjectTrackerTests
{
    private static PixelBox Square(double cx, double cy, double side = 40) =>
        new((float)(cx - side / 2), (float)(cy - side / 2), (float)(cx + side / 2), (float)(cy + side / 2));

    [Fact]
    public void TheKalmanFilterLearnsAConstantVelocity()
    {
        var filter = new BoxKalmanFilter(Square(100, 50));
        for (int t = 1; t <= 20; t++)
        {
            filter.Predict();
            filter.Update(Square(100 + 4 * t, 50 - 2 * t));
        }
        var next = filter.Predict();
        Assert.Equal(100 + 4 * 21, (next.X1 + next.X2) / 2, 0.5);
        Assert.Equal(50 - 2 * 21, (next.Y1 + next.Y2) / 2, 0.5);
        Assert.Equal(40, next.Width, 0.5);
    }

    /// <summary>
    /// Two squares of one class cross head-on; the one behind is hidden (no detection) while they overlap most, and
    /// scores low while partly hidden. The filter's velocities carry each track through: no ID switch.
    /// </summary>
    [Fact]
    public void TwoObjectsOfOneClassCrossingKeepTheirIds()
    {
        var tracker = new ObjectTracker();
        var mot = new ClearMot();
        var idsOf = new Dictionary<int, HashSet<int>> { [1] = [], [2] = [] };
        bool hiddenOnce = false;
        for (int frame = 0; frame < 60; frame++)
        {
            var a = Square(40 + 6 * frame, 100);       // behind, moving right
            var b = Square(400 - 6 * frame, 108);      // in front, moving left
            double overlap = PixelBox.Iou(a, b);
            var detections = new List<Detection> { new(1, "square", 0.9f, b) };
            var truths = new List<TruthObject> { new(2, b) };
            if (overlap < 0.5)
            {
                detections.Add(new Detection(1, "square", overlap > 0.1 ? 0.3f : 0.9f, a));
                truths.Add(new TruthObject(1, a));
            }
            else
            {
                hiddenOnce = true;
            }
            var tracked = tracker.Update(detections);
            foreach (var t in tracked) idsOf[detections[t.Detection].Box == a ? 1 : 2].Add(t.TrackId);
            mot.Add(truths, tracked.Select(t => new TrackHypothesis(t.TrackId, t.Box)).ToList());
        }
        Assert.True(hiddenOnce);
        Assert.Single(idsOf[1]);
        Assert.Single(idsOf[2]);
        Assert.NotEqual(idsOf[1].Single(), idsOf[2].Single());
        Assert.Equal(0, mot.IdSwitches);
        Assert.Equal(0, mot.FalsePositives);
        // Missed: the first frame of each object, before its track is confirmed; and the two frames in which the
        // hidden one comes out from behind scoring low (a lost track takes only high-scoring detections, as in ByteTrack).
        Assert.Equal(4, mot.Misses);
    }

    [Fact]
    public void ANewTrackGetsItsIdAfterMinHitsFramesAndAnUnconfirmedOneEndsAtItsFirstMiss()
    {
        var tracker = new ObjectTracker(new TrackerOptions { MinHits = 3 });
        var box = Square(50, 50);
        Assert.Empty(tracker.Update([new(1, "circle", 0.9f, box)]));
        Assert.Empty(tracker.Update([new(1, "circle", 0.9f, box)]));
        Assert.Equal(1, Assert.Single(tracker.Update([new(1, "circle", 0.9f, box)])).TrackId);
        // A flash detection elsewhere starts a track that does not survive a frame without it.
        tracker.Update([new(1, "circle", 0.9f, box), new(1, "circle", 0.9f, Square(200, 200))]);
        Assert.Equal(2, tracker.LiveTracks);
        tracker.Update([new(1, "circle", 0.9f, box)]);
        Assert.Equal(1, tracker.LiveTracks);
    }

    [Fact]
    public void LowScoringDetectionsNeitherStartTracksNorContinueOtherClasses()
    {
        var tracker = new ObjectTracker(new TrackerOptions { MinHits = 1 });
        Assert.Empty(tracker.Update([new(1, "circle", 0.3f, Square(50, 50))]));
        Assert.Equal(0, tracker.LiveTracks);
        int id = Assert.Single(tracker.Update([new(1, "circle", 0.9f, Square(50, 50))])).TrackId;
        Assert.Equal(id, Assert.Single(tracker.Update([new(1, "circle", 0.3f, Square(52, 50))])).TrackId);
        // The same place, another class: a new object, not the circle's track.
        var other = Assert.Single(tracker.Update([new(2, "square", 0.9f, Square(54, 50))]));
        Assert.NotEqual(id, other.TrackId);
    }

    [Fact]
    public void ClearMotCountsSwitchesMissesAndFalsePositives()
    {
        var mot = new ClearMot();
        var a = Square(50, 50);
        var b = Square(200, 50);
        mot.Add([new(1, a), new(2, b)], [new(7, a), new(8, b)]);
        mot.Add([new(1, a), new(2, b)], [new(9, a), new(8, b), new(5, Square(400, 400))]); // 1 switches to 9; a stray track
        mot.Add([new(1, a), new(2, b, Ignored: true)], [new(9, a)]);                      // 2 ignored: no miss
        Assert.Equal(1, mot.IdSwitches);
        Assert.Equal(1, mot.FalsePositives);
        Assert.Equal(0, mot.Misses);
        Assert.Equal(5, mot.Truths);
        Assert.Equal(1 - 2.0 / 5, mot.Mota, 12);
        Assert.Equal(1.0, mot.Motp, 12);
    }
}
