namespace SsdSharp.Data;

/// <summary>
/// The ground truth of one image, as read from a VOC or COCO dataset.
/// </summary>
/// <param name="Id">Stable key of the image: the VOC file stem, or the COCO image id as text.</param>
/// <param name="ImagePath">Path of the image file.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Objects">The annotated objects.</param>
/// <param name="CocoId">The COCO image id, when the image came from a COCO file.</param>
public sealed record ImageAnnotation(string Id, string ImagePath, int Width, int Height, IReadOnlyList<ObjectAnnotation> Objects, long? CocoId = null);

/// <summary>
/// One annotated object. The box is in 0-based continuous pixel coordinates (x1, y1, x2, y2):
/// VOC's 1-based inclusive values minus 1, as the reference reads them; COCO's [x, y, w, h] as (x, y, x + w, y + h).
/// </summary>
/// <param name="ClassId">Class id 1…K (0 is background and never appears here).</param>
/// <param name="Label">Class name.</param>
/// <param name="X1">Left, pixels.</param>
/// <param name="Y1">Top, pixels.</param>
/// <param name="X2">Right, pixels.</param>
/// <param name="Y2">Bottom, pixels.</param>
/// <param name="Difficult">VOC <c>difficult</c>: dropped for training, ignored by evaluation.</param>
/// <param name="Crowd">COCO <c>iscrowd</c>: skipped for training, matched by the crowd rule in evaluation.</param>
/// <param name="Area">COCO's stored segment area (used for its area ranges); null means the box area.</param>
public sealed record ObjectAnnotation(int ClassId, string Label, float X1, float Y1, float X2, float Y2,
    bool Difficult = false, bool Crowd = false, double? Area = null)
{
    /// <summary>Box width in pixels.</summary>
    public float Width => X2 - X1;

    /// <summary>
    /// Difficult or crowd: an object evaluation ignores, and training drops when reading or, asked to, trains as a
    /// region to ignore.
    /// </summary>
    public bool DifficultOrCrowd => Difficult || Crowd;

    /// <summary>
    /// Whether the box is a proper box inside an image of <paramref name="width"/> × <paramref name="height"/>:
    /// 0 ≤ x1 &lt; x2 ≤ width and 0 ≤ y1 &lt; y2 ≤ height, what dataset validation guarantees for every object it returns.
    /// </summary>
    public bool FitsImage(int width, int height) => X1 >= 0 && Y1 >= 0 && X1 < X2 && Y1 < Y2 && X2 <= width && Y2 <= height;

    /// <summary>Box height in pixels.</summary>
    public float Height => Y2 - Y1;
}
