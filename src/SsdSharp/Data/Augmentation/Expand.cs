using SsdSharp.Boxes;

namespace SsdSharp.Data.Augmentation;

/// <summary>
/// Zoom out (SPEC §6 step 2): with probability <see cref="Probability"/>, places the image at a random
/// offset on a canvas <c>U(1, MaxRatio)</c> times its size filled with <see cref="Fill"/>, so that
/// objects become smaller. Offsets are whole pixels, as in the reference.
/// </summary>
/// <param name="Probability">Chance of expanding (0.5 in the reference).</param>
/// <param name="MaxRatio">Largest canvas side over image side (4 in the reference).</param>
/// <param name="Fill">
/// Canvas colour R, G, B; null means the network's means, which <see cref="AugmentationPipeline"/> fills in
/// (<see cref="Preprocessing.NetworkInputFormat.MeanRgb"/>), as the reference does.
/// </param>
public sealed record Expand(double Probability = 0.5, double MaxRatio = 4, IReadOnlyList<float>? Fill = null) : ISampleTransform
{
    /// <inheritdoc />
    public void Apply(TrainingSample sample, RandomSource random)
    {
        if (Fill is not { Count: 3 })
            throw new InvalidOperationException("Expand needs a fill colour of three values (R, G, B)");
        if (MaxRatio < 1)
            throw new InvalidOperationException($"Expand's MaxRatio must be at least 1, got {MaxRatio}");
        if (!random.Chance(Probability)) return;
        var image = sample.Image;
        int width = image.Width, height = image.Height;
        double ratio = random.Uniform(1, MaxRatio);
        int left = (int)random.Uniform(0, width * ratio - width);
        int top = (int)random.Uniform(0, height * ratio - height);
        image.Expand((int)(width * ratio), (int)(height * ratio), left, top, Fill.ToArray());
        var boxes = sample.Boxes.Select(b => new PixelBox(b.X1 + left, b.Y1 + top, b.X2 + left, b.Y2 + top)).ToArray();
        sample.SetObjects(boxes, sample.Labels);
    }
}
