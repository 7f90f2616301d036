using SsdSharp.Boxes;

namespace SsdSharp.Data.Augmentation;

/// <summary>Mirrors image and boxes left to right with probability <see cref="Probability"/> (SPEC §6 step 4).</summary>
/// <param name="Probability">Chance of mirroring (0.5 in the reference).</param>
public sealed record HorizontalMirror(double Probability = 0.5) : ISampleTransform
{
    /// <inheritdoc />
    public void Apply(TrainingSample sample, RandomSource random)
    {
        if (!random.Chance(Probability)) return;
        Flip(sample);
    }

    /// <summary>Mirrors unconditionally (<see cref="PixelBox.MirroredIn"/>).</summary>
    public static void Flip(TrainingSample sample)
    {
        float width = sample.Image.Width;
        sample.Image.Mirror();
        var boxes = sample.Boxes.Select(b => b.MirroredIn(width)).ToArray();
        sample.SetObjects(boxes, sample.Labels);
    }
}
