using SsdSharp.Boxes;

namespace SsdSharp.Data.Augmentation;

/// <summary>
/// The IoU-constrained random crop of SSD (SPEC §6 step 3): picks a mode — keep the whole image,
/// a minimum IoU, or any patch — then tries up to <see cref="MaxTrials"/> patches until one fits.
/// Boxes whose centre lies inside the patch are kept and clipped to it; the others are dropped.
/// The overlap and centre conditions on a patch are the objects'; ignored regions (negative labels) only
/// follow, kept and clipped by the same centre rule, so that ignoring them leaves the crops of the objects
/// as they are without them.
/// </summary>
/// <remarks>
/// A patch is rejected when <b>any</b> object overlaps it by less than the minimum IoU. The
/// reference tests <c>min &lt; min_iou and max_iou &lt; max</c> with an infinite <c>max_iou</c>, so it
/// never rejects (a known bug); we apply the constraint SPEC §6 states. An image without objects
/// accepts any patch. The patch's left edge is U(0, width − w) (the reference's
/// <c>random.uniform(width - w)</c> passes that bound as numpy's <i>low</i> with <i>high</i> = 1, so it
/// draws between 1 and width − w; likewise for the top edge).
/// </remarks>
public sealed record RandomIouCrop : ISampleTransform
{
    /// <summary>
    /// The modes, chosen uniformly: null keeps the image whole, a number is the minimum IoU every
    /// object must have with the patch, <see cref="double.NegativeInfinity"/> accepts any patch.
    /// </summary>
    public IReadOnlyList<double?> Modes { get; init; } = [null, 0.1, 0.3, 0.7, 0.9, double.NegativeInfinity];

    /// <summary>Patches tried per chosen mode before choosing a mode again.</summary>
    public int MaxTrials { get; init; } = 50;

    /// <summary>Smallest patch side as a fraction of the image side.</summary>
    public double MinScale { get; init; } = 0.3;

    /// <summary>Smallest patch aspect, height over width.</summary>
    public double MinAspect { get; init; } = 0.5;

    /// <summary>Largest patch aspect, height over width.</summary>
    public double MaxAspect { get; init; } = 2;

    // The reference loops until a mode succeeds; with a "keep" mode that ends with probability 1.
    // Without one, an unsatisfiable image would spin forever, so we keep it whole after this many rounds.
    private const int MaxRounds = 1000;

    /// <inheritdoc />
    public void Apply(TrainingSample sample, RandomSource random)
    {
        if (Modes.Count == 0) return;
        var labels = sample.Labels;
        var objects = Enumerable.Range(0, labels.Length).Where(i => labels[i] > 0).ToArray();
        for (int round = 0; round < MaxRounds; round++)
        {
            var minIou = Modes[random.NextInt(Modes.Count)];
            if (minIou is null) return;
            for (int trial = 0; trial < MaxTrials; trial++)
            {
                if (TryCrop(sample, objects, random, minIou.Value)) return;
            }
        }
    }

    /// <summary>Tries one patch; <paramref name="objects"/> indexes the sample's objects (not its ignored regions).</summary>
    private bool TryCrop(TrainingSample sample, int[] objects, RandomSource random, double minIou)
    {
        int width = sample.Image.Width, height = sample.Image.Height;
        double w = random.Uniform(MinScale * width, width);
        double h = random.Uniform(MinScale * height, height);
        if (h / w < MinAspect || h / w > MaxAspect) return false;
        double left = random.Uniform(0, width - w);
        double top = random.Uniform(0, height - h);
        var patch = new PixelBox((int)left, (int)top, (int)(left + w), (int)(top + h));
        if (patch.Width < 1 || patch.Height < 1) return false;

        var boxes = sample.Boxes;
        var labels = sample.Labels;
        if (objects.Any(i => PixelBox.Iou(boxes[i], patch) < minIou)) return false;
        if (objects.Length > 0 && !objects.Any(i => CentreInside(boxes[i], patch))) return false;
        var kept = Enumerable.Range(0, boxes.Length).Where(i => CentreInside(boxes[i], patch)).ToArray();

        sample.Image.Crop((int)patch.X1, (int)patch.Y1, (int)patch.Width, (int)patch.Height);
        var cropped = kept.Select(i => new PixelBox(
            Math.Max(boxes[i].X1, patch.X1) - patch.X1, Math.Max(boxes[i].Y1, patch.Y1) - patch.Y1,
            Math.Min(boxes[i].X2, patch.X2) - patch.X1, Math.Min(boxes[i].Y2, patch.Y2) - patch.Y1)).ToArray();
        sample.SetObjects(cropped, kept.Select(i => labels[i]).ToArray());
        return true;
    }

    /// <summary>Whether the centre of <paramref name="box"/> lies strictly inside <paramref name="patch"/>.</summary>
    private static bool CentreInside(PixelBox box, PixelBox patch)
    {
        float cx = (box.X1 + box.X2) / 2, cy = (box.Y1 + box.Y2) / 2;
        return cx > patch.X1 && cy > patch.Y1 && cx < patch.X2 && cy < patch.Y2;
    }
}
