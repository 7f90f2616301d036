using Onnx;
using SsdSharp.Configuration;
using static SsdSharp.Onnx.GraphBuilder;

namespace SsdSharp.Onnx;

/// <summary>
/// The test-phase post-processing of SPEC §5 in the graph, after <see cref="SsdGraph"/>: per image and
/// object class the <c>top_k</c> highest scores (TopK; equal scores keep the lower prior first, as the
/// host post-processing does), then <c>NonMaxSuppression</c> over them with the score threshold
/// (strictly above) and the IoU threshold, keeping at most <c>top_k</c>.
/// </summary>
internal static class NmsGraph
{
    /// <summary>
    /// Name of the output: <c>[M, 7]</c> float32 rows (image index in the batch, class id 1…C−1, score,
    /// x1, y1, x2, y2 normalised), grouped by image, then class, each class by descending score.
    /// </summary>
    public const string Detections = "detections";

    /// <summary>Adds the post-processing of the outputs of <see cref="SsdGraph"/> for <paramref name="priors"/> default boxes and <paramref name="classes"/> classes.</summary>
    public static void Build(GraphBuilder g, int priors, int classes, DetectionOptions options)
    {
        int objectClasses = classes - 1;
        int k = Math.Min(options.TopK, priors);

        // Scores [N, P, C] → object classes by prior [N, C−1, P] → the k best per class, [N, C−1, k].
        var byClass = g.Node("Transpose", "nms.by_class", [SsdGraph.Scores], Ints("perm", 0, 2, 1));
        var objects = g.Node("Slice", "nms.objects", [byClass, g.Int64s("nms.objects.start", 1), g.Int64s("nms.objects.end", classes), g.Int64s("nms.objects.axis", 1)]);
        var top = g.Node("TopK", "nms.top", [objects, g.Int64s("nms.k", k)], 2, Int("axis", 2), Int("largest", 1), Int("sorted", 1));
        string topScores = top[0], topPriors = top[1];

        // The candidates' boxes [N, (C−1)·k, 4]: gather each candidate's prior along P.
        var flatPriors = g.Node("Reshape", "nms.priors", [topPriors, g.Int64s("nms.priors.shape", 0, -1, 1)]);
        var gatherIndex = g.Node("Expand", "nms.gather_index", [flatPriors, g.Int64s("nms.gather_index.shape", 1, 1, 4)]);
        var candidates = g.Node("GatherElements", "nms.candidates", [SsdGraph.Boxes, gatherIndex], Int("axis", 1));

        // One NMS batch per (image, class): boxes [N·(C−1), k, 4], scores [N·(C−1), 1, k].
        var nmsBoxes = g.Node("Reshape", "nms.boxes", [candidates, g.Int64s("nms.boxes.shape", -1, k, 4)]);
        var nmsScores = g.Node("Reshape", "nms.scores", [topScores, g.Int64s("nms.scores.shape", -1, 1, k)]);
        // center_point_box 0 reads the corners as (y1, x1, y2, x2); IoU does not depend on which axis comes first.
        var selected = g.Node("NonMaxSuppression", "nms.selected",
            [nmsBoxes, nmsScores, g.Int64s("nms.max_per_class", k), g.Constant("nms.iou_threshold", [(float)options.NmsThreshold], 1),
             g.Constant("nms.score_threshold", [(float)options.ConfidenceThreshold], 1)],
            Int("center_point_box", 0));

        // selected [M, 3] = (image · (C−1) + class − 1, 0, candidate); the candidate's flat position is row · k + candidate.
        var row = g.Node("Gather", "nms.row", [selected, g.Scalar("nms.row.column", 0L)], Int("axis", 1));
        var candidate = g.Node("Gather", "nms.candidate", [selected, g.Scalar("nms.candidate.column", 2L)], Int("axis", 1));
        var position = g.Node("Add", "nms.position", [g.Node("Mul", "nms.row_start", [row, g.Scalar("nms.k.scalar", (long)k)]), candidate]);
        var objectClassCount = g.Scalar("nms.object_classes", (long)objectClasses);
        var image = g.Node("Div", "nms.image", [row, objectClassCount]);
        var classId = g.Node("Add", "nms.class", [g.Node("Mod", "nms.class_index", [row, objectClassCount]), g.Scalar("nms.one", 1L)]);
        var score = g.Node("Gather", "nms.score", [g.Node("Reshape", "nms.flat_scores", [topScores, g.Int64s("nms.flat_scores.shape", -1)]), position]);
        var box = g.Node("Gather", "nms.box", [g.Node("Reshape", "nms.flat_boxes", [nmsBoxes, g.Int64s("nms.flat_boxes.shape", -1, 4)]), position], Int("axis", 0));

        var column = g.Int64s("nms.column", 1);
        string Column(string name, string values, bool cast) =>
            g.Node("Unsqueeze", $"{name}.column", [cast ? g.Node("Cast", $"{name}.float", [values], Int("to", (long)TensorProto.Types.DataType.Float)) : values, column]);
        g.Node("Concat", Detections, [Column("nms.image", image, true), Column("nms.class", classId, true), Column("nms.score", score, false), box], Int("axis", 1));
    }
}
