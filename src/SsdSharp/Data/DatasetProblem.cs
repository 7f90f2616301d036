namespace SsdSharp.Data;

/// <summary>One problem found in a dataset's ground truth.</summary>
/// <param name="File">The annotation file (VOC xml or COCO json) or image file concerned.</param>
/// <param name="Image">Key of the image (<see cref="ImageAnnotation.Id"/>), or null when unknown.</param>
/// <param name="ObjectIndex">
/// 0-based index of the object: its position among the <c>object</c> elements of a VOC xml, or in the
/// <c>annotations</c> array of a COCO json; null for a problem of the whole image or file.
/// </param>
/// <param name="Message">What is wrong, with the offending values.</param>
/// <param name="Action">What the reader did about it.</param>
public sealed record DatasetProblem(string File, string? Image, int? ObjectIndex, string Message, ProblemAction Action)
{
    /// <summary>
    /// Where the problem is: file and object, as <c>FILE: object[3]</c> (VOC) or <c>FILE: annotations[3]</c> (COCO);
    /// a problem of a whole image of a COCO file names the image, <c>FILE: image id 7</c>, as the file holds them all.
    /// </summary>
    public string Location => (ObjectIndex, IsCoco) switch
    {
        (int i, true) => $"{File}: annotations[{i}]",
        (int i, false) => $"{File}: object[{i}]",
        (null, true) when Image != null => $"{File}: image id {Image}",
        _ => File,
    };

    private bool IsCoco => File.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>One line: location, message and action.</summary>
    public override string ToString() => $"{Location}: {Message} ({ActionText(Action)})";

    private static string ActionText(ProblemAction action) => action switch
    {
        ProblemAction.Clipped => "clipped to the image",
        ProblemAction.SizeFromImage => "size taken from the image",
        ProblemAction.ObjectSkipped => "object skipped",
        ProblemAction.ImageSkipped => "image skipped",
        _ => "stopped",
    };
}
