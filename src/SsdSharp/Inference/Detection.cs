namespace SsdSharp.Inference;

/// <summary>One detected object.</summary>
/// <param name="ClassId">Class id 1…K (0 is background and never appears).</param>
/// <param name="Label">Class name.</param>
/// <param name="Score">Softmax confidence in [0, 1].</param>
/// <param name="Box">Box in pixels of the original image.</param>
public sealed record Detection(int ClassId, string Label, float Score, PixelBox Box);

/// <summary>A box in pixels of an image, corner form, continuous coordinates (x2 = x1 + width).</summary>
/// <param name="X1">Left.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
public readonly record struct PixelBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>Width in pixels.</summary>
    public float Width => X2 - X1;

    /// <summary>Height in pixels.</summary>
    public float Height => Y2 - Y1;
}

/// <summary>The detections of one image.</summary>
/// <param name="Image">The image's path or name.</param>
/// <param name="Width">Original image width in pixels.</param>
/// <param name="Height">Original image height in pixels.</param>
/// <param name="Detections">Detections sorted by descending score.</param>
public sealed record ImageDetections(string Image, int Width, int Height, IReadOnlyList<Detection> Detections);
