using SsdSharp.Preprocessing;

namespace SsdSharp.Video;

/// <summary>One decoded frame: 8-bit RGB pixels and where it stands in its source.</summary>
/// <param name="Index">The frame's index in the source, 0-based (counted from the first frame, also when frames are skipped or the reading starts later).</param>
/// <param name="Time">Seconds from the start of the source (index / frame rate for a file; since the first frame for a live source).</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Pixels">Row-major interleaved R, G, B bytes, <c>Width · Height · 3</c>.</param>
public sealed record VideoFrame(long Index, double Time, int Width, int Height, byte[] Pixels)
{
    /// <summary>The frame as the detector's input image.</summary>
    public RgbImage ToRgbImage() => RgbImage.FromPixels(Pixels, Width, Height, PixelOrder.Rgb24);
}
