using SsdSharp.Boxes;

namespace SsdSharp.Inference;

/// <summary>One detected object.</summary>
/// <param name="ClassId">Class id 1…K (0 is background and never appears).</param>
/// <param name="Label">Class name.</param>
/// <param name="Score">Softmax confidence in [0, 1].</param>
/// <param name="Box">Box in pixels of the original image.</param>
public sealed record Detection(int ClassId, string Label, float Score, PixelBox Box);

/// <summary>The detections of one image.</summary>
/// <param name="Image">The image's path or name.</param>
/// <param name="Width">Original image width in pixels.</param>
/// <param name="Height">Original image height in pixels.</param>
/// <param name="Detections">Detections sorted by descending score.</param>
public sealed record ImageDetections(string Image, int Width, int Height, IReadOnlyList<Detection> Detections);
