using SsdSharp.Data;

namespace SsdSharp.Evaluation;

/// <summary>What detections are evaluated against: the images of a split and the classes they use.</summary>
/// <param name="Images">The images with their objects (class ids 1…K).</param>
/// <param name="ClassNames">The class names, index k naming class id k + 1.</param>
/// <param name="CategoryIds">For COCO data, the original category id of each class (index k for class id k + 1), which COCO results files use; null for VOC data, whose results files then give class ids 1…K.</param>
public sealed record GroundTruthSet(IReadOnlyList<ImageAnnotation> Images, IReadOnlyList<string> ClassNames, IReadOnlyList<long>? CategoryIds = null);
