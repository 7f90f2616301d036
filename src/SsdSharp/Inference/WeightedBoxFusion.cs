using SsdSharp.Boxes;

namespace SsdSharp.Inference;

/// <summary>
/// Weighted box fusion (Solovyev et al., 2019) of several views of one image, each already through NMS: the
/// boxes of an object from different views are averaged instead of one of them surviving, and the object's score is
/// the mean over the views, counting a view that did not see it as zero.
/// </summary>
/// <remarks>
/// Why not NMS over the pooled views: it keeps the best box of any view, so every false box of either view stays with
/// its score. Averaging scores halves the score of what one view alone sees (mostly false boxes), and averaging boxes
/// moves a partly hidden shape's box towards its outline where one view draws it short. On the synthetic validation
/// split, shapes512's image and mirror image, fused scores above the confidence threshold: COCO AP 0.841 fused, 0.821
/// merged by NMS (VOC07 0.9456 and 0.9479; the image alone 0.9424); docs/training.md, "Test-time augmentation".
/// </remarks>
internal static class WeightedBoxFusion
{
    /// <summary>One detection per object over <paramref name="views"/>.</summary>
    /// <param name="views">Per view, its detections after NMS, in one coordinate frame.</param>
    /// <param name="iouThreshold">Boxes taken by descending score, a box joins the first cluster of its class whose lead (its
    /// highest-scoring box) it overlaps by more than this, or leads a new one: the NMS threshold, since NMS would suppress
    /// it under that lead as the same object.</param>
    /// <param name="classAgnostic">Whether boxes of all classes cluster together (as NMS then compared them); a cluster
    /// takes the class of its highest-scoring box.</param>
    /// <returns>Per cluster: the class of its best box, the mean over views of each view's best score in it, and the box
    /// averaged over those views' best boxes, weighted by their scores; by descending score.</returns>
    public static NormalizedDetection[] Fuse(IReadOnlyList<NormalizedDetection[]> views, double iouThreshold, bool classAgnostic)
    {
        // In float32, as NMS compares.
        float threshold = (float)iouThreshold;
        var pooled = views.SelectMany((detections, view) => detections.Select(d => (Detection: d, View: view)));
        var fused = new List<NormalizedDetection>();
        foreach (var group in classAgnostic ? pooled.GroupBy(_ => 0) : pooled.GroupBy(p => p.Detection.ClassId))
        {
            var clusters = new List<Cluster>();
            foreach (var (detection, view) in group.OrderByDescending(p => p.Detection.Score).ThenBy(p => p.View))
            {
                var cluster = clusters.FirstOrDefault(c => Iou(c.Lead, detection) > threshold);
                if (cluster is null) clusters.Add(cluster = new Cluster(detection, views.Count));
                // A view's later boxes in a cluster score lower: its best one represents it.
                cluster.Best[view] ??= detection;
            }
            fused.AddRange(clusters.Select(c => c.Fused()));
        }
        return fused.OrderByDescending(d => d.Score).ToArray();
    }

    /// <summary>The overlap of a cluster's lead and a box, as NMS judges it (<see cref="Nms.Iou"/>).</summary>
    private static float Iou(NormalizedDetection lead, NormalizedDetection box) =>
        Nms.Iou(lead.X1, lead.Y1, lead.X2, lead.Y2, Area(lead), box.X1, box.Y1, box.X2, box.Y2, Area(box));

    private static float Area(NormalizedDetection d) => (d.X2 - d.X1) * (d.Y2 - d.Y1);

    private sealed class Cluster(NormalizedDetection lead, int views)
    {
        public NormalizedDetection Lead { get; } = lead;

        public NormalizedDetection?[] Best { get; } = new NormalizedDetection?[views];

        public NormalizedDetection Fused()
        {
            var members = Best.OfType<NormalizedDetection>().ToArray();
            double weight = members.Sum(m => (double)m.Score);
            float Mean(Func<NormalizedDetection, float> coordinate) => (float)(members.Sum(m => (double)m.Score * coordinate(m)) / weight);
            return new NormalizedDetection(Lead.ClassId, (float)(weight / Best.Length),
                Mean(m => m.X1), Mean(m => m.Y1), Mean(m => m.X2), Mean(m => m.Y2), Lead.Prior);
        }
    }
}
