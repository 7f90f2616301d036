using SsdSharp.Data;
using SsdSharp.Inference;

namespace SsdSharp.Evaluation;

/// <summary>
/// Ground truth and detections laid out flat for the evaluators: one group per (class, image), the
/// ground truth of a group in file order, its detections by descending score. Built once, read by both
/// protocols, so that validation and ordering rules live in one place.
/// </summary>
/// <remarks>
/// Group g = k * ImageCount + i for class index k (class id − 1) and image index i. Images are in the
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

    /// <summary>Offsets of each group's ground truth, length K·I + 1.</summary>
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

    /// <summary>Offsets of each group's detections, length K·I + 1.</summary>
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
            var order = Enumerable.Range(0, images.Length).OrderBy(i => keys[i]).ToArray();
            images = order.Select(i => images[i]).ToArray();
        }
        return images;
    }

    private void LayOutGroundTruth(ImageAnnotation[] images)
    {
        int imageCount = images.Length, groups = ClassCount * imageCount;
        var start = new int[groups + 1];
        for (var i = 0; i < imageCount; i++)
        {
            foreach (var obj in images[i].Objects)
            {
                if (obj.ClassId < 1 || obj.ClassId > ClassCount)
                    throw new SsdInputException($"ground truth: image '{images[i].Id}' has an object of class id {obj.ClassId} ('{obj.Label}'); expected 1…{ClassCount}");
                start[(obj.ClassId - 1) * imageCount + i + 1]++;
            }
        }
        for (var g = 0; g < groups; g++) start[g + 1] += start[g];

        var n = start[groups];
        double[] x1 = new double[n], y1 = new double[n], x2 = new double[n], y2 = new double[n], area = new double[n];
        var ignore = new bool[n];
        var positives = new int[ClassCount];
        var fill = start[..groups];
        for (var i = 0; i < imageCount; i++)
        {
            foreach (var obj in images[i].Objects)
            {
                var j = fill[(obj.ClassId - 1) * imageCount + i]++;
                x1[j] = obj.X1; y1[j] = obj.Y1; x2[j] = obj.X2; y2[j] = obj.Y2;
                area[j] = obj.Area ?? ((double)obj.X2 - obj.X1) * ((double)obj.Y2 - obj.Y1);
                ignore[j] = obj.Difficult || obj.Crowd;
                if (!ignore[j]) positives[obj.ClassId - 1]++;
            }
        }
        GtStart = start; GtX1 = x1; GtY1 = y1; GtX2 = x2; GtY2 = y2; GtArea = area; GtIgnore = ignore;
        ClassPositives = positives;
    }

    private void LayOutDetections(ImageAnnotation[] images, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections)
    {
        var imageIndex = new Dictionary<string, int>(images.Length, StringComparer.Ordinal);
        for (var i = 0; i < images.Length; i++) imageIndex[images[i].Id] = i;

        // Gather every detection in (image, file order) and check it.
        var perImage = new IReadOnlyList<Detection>?[images.Length];
        var total = 0;
        foreach (var (id, list) in detections)
        {
            if (!imageIndex.TryGetValue(id, out var i))
                throw new SsdInputException($"detections: image '{id}' is not in the ground truth; expected one of its {images.Length} image ids");
            perImage[i] = list;
            total += list.Count;
        }
        var flat = new Detection[total];
        var image = new int[total];
        var n = 0;
        for (var i = 0; i < images.Length; i++)
        {
            if (perImage[i] is not { } list) continue;
            for (var d = 0; d < list.Count; d++)
            {
                var det = list[d];
                if (det.ClassId < 1 || det.ClassId > ClassCount)
                    throw new SsdInputException($"detections: image '{images[i].Id}', detection {d} has class id {det.ClassId}; expected 1…{ClassCount}");
                if (!float.IsFinite(det.Score) || !float.IsFinite(det.Box.X1) || !float.IsFinite(det.Box.Y1) || !float.IsFinite(det.Box.X2) || !float.IsFinite(det.Box.Y2))
                    throw new SsdInputException($"detections: image '{images[i].Id}', detection {d} has a non-finite score or box; expected finite numbers");
                flat[n] = det;
                image[n++] = i;
            }
        }

        // One sort by descending score; unique keys (score, position) make the unstable sort act as a stable one.
        var keys = new ulong[total];
        var order = new int[total];
        for (var j = 0; j < total; j++)
        {
            keys[j] = ((ulong)~SortableBits(flat[j].Score) << 32) | (uint)j;
            order[j] = j;
        }
        Array.Sort(keys, order);

        // Counting sort into groups and into classes; both stable, so each keeps descending score order.
        int imageCount = images.Length, groups = ClassCount * imageCount;
        var start = new int[groups + 1];
        var classStart = new int[ClassCount + 1];
        for (var j = 0; j < total; j++)
        {
            start[(flat[j].ClassId - 1) * imageCount + image[j] + 1]++;
            classStart[flat[j].ClassId]++;
        }
        for (var g = 0; g < groups; g++) start[g + 1] += start[g];
        for (var k = 0; k < ClassCount; k++) classStart[k + 1] += classStart[k];

        double[] x1 = new double[total], y1 = new double[total], x2 = new double[total], y2 = new double[total], score = new double[total];
        var dtImage = new int[total];
        var classOrder = new int[total];
        var fill = start[..groups];
        var classFill = classStart[..ClassCount];
        foreach (var j in order)
        {
            var det = flat[j];
            var k = det.ClassId - 1;
            var slot = fill[k * imageCount + image[j]]++;
            x1[slot] = det.Box.X1; y1[slot] = det.Box.Y1; x2[slot] = det.Box.X2; y2[slot] = det.Box.Y2;
            score[slot] = det.Score;
            dtImage[slot] = image[j];
            classOrder[classFill[k]++] = slot;
        }
        DtStart = start; DtX1 = x1; DtY1 = y1; DtX2 = x2; DtY2 = y2; DtScore = score; DtImage = dtImage;
        ClassStart = classStart; ClassOrder = classOrder;
    }

    /// <summary>Maps a float to an unsigned integer with the same order (−0 and 0 as equal).</summary>
    private static uint SortableBits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value + 0f);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}
