namespace SsdSharp.Data;

/// <summary>
/// One image's ground truth as parsed from a file, before class lookup and validation. Boxes are
/// already in the 0-based continuous frame of <see cref="ObjectAnnotation"/>.
/// </summary>
/// <param name="File">Annotation file, for problem reports.</param>
/// <param name="Id">Image key.</param>
/// <param name="ImagePath">Image file.</param>
/// <param name="Width">Width from the annotation, 0 when absent or invalid.</param>
/// <param name="Height">Height from the annotation, 0 when absent or invalid.</param>
/// <param name="Objects">The objects in file order.</param>
/// <param name="CocoId">COCO image id.</param>
/// <param name="Malformed">Why the whole annotation cannot be used (e.g. invalid XML), or null.</param>
internal sealed record RawImage(string File, string Id, string ImagePath, int Width, int Height,
    List<RawObject> Objects, long? CocoId = null, string? Malformed = null);
