namespace SsdSharp.Data;

/// <summary>The ground truth of a dataset as read and validated, with the problems found on the way.</summary>
/// <param name="Spec">Where it was read from.</param>
/// <param name="ClassNames">The class names; class id i + 1 is <c>ClassNames[i]</c>.</param>
/// <param name="Images">The images kept, in the order of the split file (VOC, roots in order) or of the json's <c>images</c> array (COCO).</param>
/// <param name="Problems">Every problem found, in the same order, with what was done about it.</param>
/// <param name="CocoCategoryIds">COCO only: the category id of each class (aligned with <paramref name="ClassNames"/>, 0 for a class the file lacks), to write results back in COCO ids; null for VOC.</param>
public sealed record AnnotatedDataset(
    DatasetSpec Spec,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<ImageAnnotation> Images,
    IReadOnlyList<DatasetProblem> Problems,
    IReadOnlyList<long>? CocoCategoryIds = null);
