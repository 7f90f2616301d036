using SsdSharp.Data;
using SsdSharp.Inference;

namespace SsdSharp.Evaluation;

/// <summary>
/// Ground truth and detections laid out flat for the evaluators: one group per (image, class), the
/// ground truth of a group in file order, its detections by descending score. Built once, read by both
/// protocols, so that validation and ordering rules live in one place.
/// </summary>
/// <remarks>
/// Groups are image-major (<see cref="Group"/>), so that building the table and matching within
/// images touch memory in order; per-class work goes through <see cref="ClassOrder"/>. Images are in the
/// order the COCO API uses (ascending COCO id when every image has one, otherwise the input order).
/// Ties in score keep image order and then the order within the image, as the stable sorts of the COCO
/// API do; the VOC devkit's unstable sort leaves tie order unspecified.
/// </remarks>
internal sealed class EvaluationTable
{
    private EvaluationTable(int classCount, int imageCount)
    {
        ClassCount = classCount;
        ImageCount = imageCount;
    }

    /// <summary>Number of classes K (class ids 1…K).</summary>
    public int ClassCount { get; }

    /// <summary>Number of images.</summary>
    public int ImageCount { get; }

    /// <summary>Offsets of each group's ground truth, length I·K + 1.</summary>
    public int[] GtStart { get; private set; } = [];

    /// <summary>Ground truth lefts; boxes are corner form in 0-based continuous pixels.</summary>
    public double[] GtX1 { get; private set; } = [];

    /// <summary>Ground truth tops.</summary>
    public double[] GtY1 { get; private set; } = [];

    /// <summary>Ground truth rights.</summary>
    public double[] GtX2 { get; private set; } = [];

    /// <summary>Ground truth bottoms.</summary>
    public double[] GtY2 { get; private set; } = [];

    /// <summary>COCO area of each ground truth: the stored area, or the box area.</summary>
    public double[] GtArea { get; private set; } = [];

    /// <summary>Difficult (VOC) or crowd (COCO): ignored by both protocols, matched by each one's own rule.</summary>
    public bool[] GtIgnore { get; private set; } = [];

    /// <summary>Offsets of each group's detections, length I·K + 1.</summary>
    public int[] DtStart { get; private set; } = [];

    /// <summary>Detection lefts; boxes are corner form in pixels.</summary>
    public double[] DtX1 { get; private set; } = [];

    /// <summary>Detection tops.</summary>
    public double[] DtY1 { get; private set; } = [];

    /// <summary>Detection rights.</summary>
    public double[] DtX2 { get; private set; } = [];

    /// <summary>Detection bottoms.</summary>
    public double[] DtY2 { get; private set; } = [];

    /// <summary>Detection scores.</summary>
    public double[] DtScore { get; private set; } = [];

    /// <summary>Image index of each detection.</summary>
    public int[] DtImage { get; private set; } = [];

    /// <summary>Rank of each detection within its group (0 for the highest score of its class in its image).</summary>
    public int[] DtRank { get; private set; } = [];

    /// <summary>Offsets into <see cref="ClassOrder"/> per class, length K + 1.</summary>
    public int[] ClassStart { get; private set; } = [];

    /// <summary>Detection indices of each class across all images, by descending score (ties: image, then rank).</summary>
    public int[] ClassOrder { get; private set; } = [];

    /// <summary>Number of ground truth objects of a class that are not ignored.</summary>
    public int[] ClassPositives { get; private set; } = [];

    /// <summary>Lays out ground truth and detections; throws <see cref="SsdInputException"/> for ids or values that do not fit.</summary>
    /// <param name="groundTruth">The images with their objects (class ids 1…K).</param>
    /// <param name="detections">Detections keyed by <see cref="ImageAnnotation.Id"/>; images without an entry have none.</param>
    /// <param name="classCount">K.</param>
    public static EvaluationTable Build(IReadOnlyList<ImageAnnotation> groundTruth, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections, int classCount)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(detections);
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "at least one class is needed");

        var images = OrderImages(groundTruth);
        var table = new EvaluationTable(classCount, images.Length);
        table.LayOutGroundTruth(images);
        table.LayOutDetections(images, detections);
        return table;
    }

    /// <summary>The group of class index <paramref name="k"/> (class id − 1) in image <paramref name="i"/>.</summary>
    public int Group(int k, int i) => i * ClassCount + k;

    private static ImageAnnotation[] OrderImages(IReadOnlyList<ImageAnnotation> groundTruth)
    {
        var images = groundTruth.ToArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            if (!ids.Add(image.Id)) throw new SsdInputException($"ground truth: image '{image.Id}' appears twice; expected unique image ids");
        }
        // The COCO API evaluates images in ascending id order, which decides tie order between equal scores.
        if (images.All(image => image.CocoId.HasValue))
        {
            var keys = images.Select(image => image.CocoId!.Value).ToArray();
            Array.Sort(keys, images);
        }
        return images;
    }

    private void LayOutGroundTruth(ImageAnnotation[] images)
    {
        var groups = images.Length * ClassCount;
        var start = new int[groups + 1];
        for (var i = 0; i < images.Length; i++)
        {
            foreach (var obj in images[i].Objects)
            {
                if (obj.ClassId < 1 || obj.ClassId > ClassCount)
                    throw new SsdInputException($"ground truth: image '{images[i].Id}' has an object of class id {obj.ClassId} ('{obj.Label}'); expected 1…{ClassCount}");
                start[Group(obj.ClassId - 1, i) + 1]++;
            }
        }
        for (var g = 0; g < groups; g++) start[g + 1] += start[g];

        var n = start[groups];
        double[] x1 = new double[n], y1 = new double[n], x2 = new double[n], y2 = new double[n], area = new double[n];
        var ignore = new bool[n];
        var positives = new int[ClassCount];
        var fill = start[..groups];
        for (var i = 0; i < images.Length; i++)
        {
            foreach (var obj in images[i].Objects)
            {
                var j = fill[Group(obj.ClassId - 1, i)]++;
                x1[j] = obj.X1; y1[j] = obj.Y1; x2[j] = obj.X2; y2[j] = obj.Y2;
                area[j] = obj.Area ?? ((double)obj.X2 - obj.X1) * ((double)obj.Y2 - obj.Y1);
                ignore[j] = obj.DifficultOrCrowd;
                if (!ignore[j]) positives[obj.ClassId - 1]++;
            }
        }
        GtStart = start; GtX1 = x1; GtY1 = y1; GtX2 = x2; GtY2 = y2; GtArea = area; GtIgnore = ignore;
        ClassPositives = positives;
    }

    private void LayOutDetections(ImageAnnotation[] images, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections)
    {
        var perImage = DetectionsPerImage(images, detections);

        // Count per group, checking every detection.
        var groups = images.Length * ClassCount;
        var start = new int[groups + 1];
        var classStart = new int[ClassCount + 1];
        for (var i = 0; i < images.Length; i++)
        {
            var list = perImage[i];
            for (var d = 0; d < list.Count; d++)
            {
                var det = list[d];
                if (det.ClassId < 1 || det.ClassId > ClassCount)
                    throw new SsdInputException($"detections: image '{images[i].Id}', detection {d} has class id {det.ClassId}; expected 1…{ClassCount}");
                if (!float.IsFinite(det.Score) || !float.IsFinite(det.Box.X1) || !float.IsFinite(det.Box.Y1) || !float.IsFinite(det.Box.X2) || !float.IsFinite(det.Box.Y2))
                    throw new SsdInputException($"detections: image '{images[i].Id}', detection {d} has a non-finite score or box; expected finite numbers");
                start[Group(det.ClassId - 1, i) + 1]++;
                classStart[det.ClassId]++;
            }
        }
        for (var g = 0; g < groups; g++) start[g + 1] += start[g];
        for (var k = 0; k < ClassCount; k++) classStart[k + 1] += classStart[k];

        // Into groups in input order: writes stay within each image's block.
        var total = start[groups];
        double[] x1 = new double[total], y1 = new double[total], x2 = new double[total], y2 = new double[total], score = new double[total];
        var image = new int[total];
        var fill = start[..groups];
        for (var i = 0; i < images.Length; i++)
        {
            foreach (var det in perImage[i])
            {
                var slot = fill[Group(det.ClassId - 1, i)]++;
                x1[slot] = det.Box.X1; y1[slot] = det.Box.Y1; x2[slot] = det.Box.X2; y2[slot] = det.Box.Y2;
                score[slot] = det.Score;
                image[slot] = i;
            }
        }
        DtStart = start; DtX1 = x1; DtY1 = y1; DtX2 = x2; DtY2 = y2; DtScore = score; DtImage = image;
        SortGroupsByScore();

        // Per class, in slot order (image, rank), then by descending score: ties keep image and rank order.
        var classOrder = new int[total];
        var classFill = classStart[..ClassCount];
        for (var g = 0; g < groups; g++)
        {
            for (var slot = start[g]; slot < start[g + 1]; slot++) classOrder[classFill[g % ClassCount]++] = slot;
        }
        var keys = new ulong[total];
        for (var j = 0; j < total; j++) keys[j] = DescendingKey(score[classOrder[j]], j);
        for (var k = 0; k < ClassCount; k++) Array.Sort(keys, classOrder, classStart[k], classStart[k + 1] - classStart[k]);
        ClassStart = classStart; ClassOrder = classOrder;
    }

    private static IReadOnlyList<Detection>[] DetectionsPerImage(ImageAnnotation[] images, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections)
    {
        var imageIndex = new Dictionary<string, int>(images.Length, StringComparer.Ordinal);
        for (var i = 0; i < images.Length; i++) imageIndex[images[i].Id] = i;
        var perImage = new IReadOnlyList<Detection>[images.Length];
        Array.Fill(perImage, []);
        foreach (var (id, list) in detections)
        {
            if (!imageIndex.TryGetValue(id, out var i))
                throw new SsdInputException($"detections: image '{id}' is not in the ground truth; expected one of its {images.Length} image ids");
            perImage[i] = list;
        }
        return perImage;
    }

    /// <summary>Sorts each group's detections by descending score, ties in input order, and records ranks.</summary>
    private void SortGroupsByScore()
    {
        var rank = new int[DtScore.Length];
        var keys = new ulong[16];
        var order = new int[16];
        var buffer = new double[16];
        double[][] columns = [DtX1, DtY1, DtX2, DtY2, DtScore];
        for (var g = 0; g + 1 < DtStart.Length; g++)
        {
            int from = DtStart[g], count = DtStart[g + 1] - from;
            for (var r = 0; r < count; r++) rank[from + r] = r;
            if (count < 2) continue;
            if (keys.Length < count)
            {
                keys = new ulong[count * 2];
                order = new int[count * 2];
                buffer = new double[count * 2];
            }
            var sorted = true;
            for (var r = 0; r < count; r++)
            {
                keys[r] = DescendingKey(DtScore[from + r], r);
                order[r] = r;
                sorted &= r == 0 || keys[r] > keys[r - 1];
            }
            if (sorted) continue;
            Array.Sort(keys, order, 0, count);
            foreach (var column in columns)
            {
                for (var r = 0; r < count; r++) buffer[r] = column[from + order[r]];
                Array.Copy(buffer, 0, column, from, count);
            }
        }
        DtRank = rank;
    }

    /// <summary>A key that sorts by descending score, then ascending <paramref name="position"/>; unique, so an unstable sort acts as a stable one.</summary>
    private static ulong DescendingKey(double score, int position) => ((ulong)~SortableBits((float)score) << 32) | (uint)position;

    /// <summary>Maps a float to an unsigned integer with the same order (−0 and 0 as equal).</summary>
    private static uint SortableBits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value + 0f);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}
