using SsdSharp.Boxes;
using SsdSharp.Preprocessing;

namespace SsdSharp.Data.Augmentation;

/// <summary>
/// Transforms in order, then the network input step (resize, means, channel order, CHW; the same
/// code as <see cref="Preprocess"/>) and box normalisation.
/// </summary>
public sealed class AugmentationPipeline
{
    /// <summary>A pipeline of <paramref name="transforms"/> ending in <paramref name="format"/>.</summary>
    public AugmentationPipeline(NetworkInputFormat format, IReadOnlyList<ISampleTransform> transforms)
    {
        Format = format;
        Transforms = transforms;
    }

    /// <summary>The network input every sample ends as.</summary>
    public NetworkInputFormat Format { get; }

    /// <summary>The augmentation steps, applied in this order.</summary>
    public IReadOnlyList<ISampleTransform> Transforms { get; }

    /// <summary>
    /// The training pipeline in the reference's order: photometric distortion, expand, IoU crop,
    /// mirror (each present unless switched off in <paramref name="options"/>).
    /// </summary>
    public static AugmentationPipeline ForTraining(NetworkInputFormat format, AugmentationOptions? options = null)
    {
        options ??= AugmentationOptions.Reference;
        ISampleTransform?[] steps =
        [
            options.Photometric,
            options.Expand is { } expand ? expand with { Fill = expand.Fill ?? format.MeanRgb } : null,
            options.Crop,
            options.Mirror,
        ];
        return new AugmentationPipeline(format, steps.OfType<ISampleTransform>().ToArray());
    }

    /// <summary>The evaluation transform: resize and means only.</summary>
    public static AugmentationPipeline ForEvaluation(NetworkInputFormat format) => new(format, []);

    /// <summary>
    /// Augments <paramref name="sample"/> (changing it), writes its network input <c>[3, S, S]</c> into
    /// <paramref name="destination"/> and returns its boxes normalised to the input.
    /// </summary>
    public SampleTargets Apply(TrainingSample sample, RandomSource random, Span<float> destination)
    {
        foreach (var transform in Transforms) transform.Apply(sample, random);
        BilinearResize.ToChw(sample.Image, Format, destination);
        float width = sample.Image.Width, height = sample.Image.Height;
        var boxes = new float[sample.Boxes.Length * 4];
        for (int i = 0; i < sample.Boxes.Length; i++)
        {
            PixelBox b = sample.Boxes[i];
            boxes[4 * i] = b.X1 / width;
            boxes[4 * i + 1] = b.Y1 / height;
            boxes[4 * i + 2] = b.X2 / width;
            boxes[4 * i + 3] = b.Y2 / height;
        }
        return new SampleTargets(sample.Id, boxes, sample.Labels);
    }
}
