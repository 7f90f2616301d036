using SsdSharp.Imaging;

namespace SsdSharp.Inference;

/// <summary>
/// What became of one file of <see cref="SsdDetector.DetectEach"/>: its detections, or the reason it
/// could not be read — exactly one of the two is set.
/// </summary>
/// <param name="Path">The file as given.</param>
/// <param name="Result">The detections, when the image was read.</param>
/// <param name="Error">Why the image could not be read (missing, not an image, truncated, too large…).</param>
public sealed record FileDetection(string Path, ImageDetections? Result, ImageDecodeException? Error);
