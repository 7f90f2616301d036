namespace SsdSharp.Data.Augmentation;

/// <summary>
/// The ground truth of one network input after augmentation.
/// </summary>
/// <param name="ImageId">The image's id.</param>
/// <param name="Boxes">
/// <c>[Count × 4]</c> row-major: box i is <c>(x1, y1, x2, y2)</c> at <c>Boxes[4i … 4i + 3]</c>, corner form,
/// normalised to [0, 1] of the network input (x by width, y by height), x1 &lt; x2 and y1 &lt; y2.
/// </param>
/// <param name="Labels">Class id 1…K of each box (0 is background and never appears); negative (the class id negated)
/// for a region that training ignores.</param>
public sealed record SampleTargets(string ImageId, float[] Boxes, int[] Labels)
{
    /// <summary>Number of objects.</summary>
    public int Count => Labels.Length;
}
