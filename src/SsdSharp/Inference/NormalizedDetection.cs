using SsdSharp.Boxes;

namespace SsdSharp.Inference;

/// <summary>A detection in normalised coordinates, before scaling to an image.</summary>
/// <param name="ClassId">Class id 1…K.</param>
/// <param name="Score">Softmax score.</param>
/// <param name="X1">Left, normalised, unclipped.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
/// <param name="Prior">Index of the default box it was decoded from (its source map follows from <see cref="PriorIndex"/>);
/// −1 when unknown, as for the rows of an ONNX graph's own NMS.</param>
public readonly record struct NormalizedDetection(int ClassId, float Score, float X1, float Y1, float X2, float Y2, int Prior = -1)
{
    /// <summary>The box in pixels of a <paramref name="width"/> × <paramref name="height"/> image, clipped to it.</summary>
    public PixelBox ToPixels(int width, int height) => new PixelBox(X1 * width, Y1 * height, X2 * width, Y2 * height).ClipTo(width, height);
}
