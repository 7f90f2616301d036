using SsdSharp.Boxes;
using SsdSharp.Preprocessing;

namespace SsdSharp.Data.Augmentation;

/// <summary>
/// One image with its objects while it is augmented: boxes in pixels of the current image
/// (corner form, continuous coordinates, 0 ≤ x1 &lt; x2 ≤ width, 0 ≤ y1 &lt; y2 ≤ height) and one
/// label (class id 1…K) per box; a negative label (the class id negated) marks a region that training ignores
/// (a difficult or crowd object when the loader ignores them, <c>LoaderOptions.IgnoreDifficult</c>), moved and cropped like the objects.
/// Transforms change it in place.
/// </summary>
public sealed class TrainingSample
{
    /// <summary>A sample; <paramref name="labels"/>[i] is the class of <paramref name="boxes"/>[i].</summary>
    /// <param name="id">The image's id, for reports.</param>
    /// <param name="image">The image, which the sample owns.</param>
    /// <param name="boxes">Object boxes in pixels of <paramref name="image"/>.</param>
    /// <param name="labels">Class id of each box, negative for an ignored region.</param>
    public TrainingSample(string id, AugmentedImage image, PixelBox[] boxes, int[] labels)
    {
        Id = id;
        Image = image;
        SetObjects(boxes, labels);
    }

    /// <summary>The image's id (<see cref="ImageAnnotation.Id"/> when it came from a dataset).</summary>
    public string Id { get; }

    /// <summary>The image being augmented.</summary>
    public AugmentedImage Image { get; }

    /// <summary>Object boxes in pixels of <see cref="Image"/>.</summary>
    public PixelBox[] Boxes { get; private set; } = [];

    /// <summary>Class id of each box, negative for an ignored region.</summary>
    public int[] Labels { get; private set; } = [];

    /// <summary>Replaces the objects; boxes and labels stay paired.</summary>
    public void SetObjects(PixelBox[] boxes, int[] labels)
    {
        if (boxes.Length != labels.Length)
            throw new ArgumentException($"{boxes.Length} boxes but {labels.Length} labels", nameof(labels));
        Boxes = boxes;
        Labels = labels;
    }
}
