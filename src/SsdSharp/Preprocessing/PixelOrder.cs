namespace SsdSharp.Preprocessing;

/// <summary>The channel order of an 8-bit interleaved pixel buffer (<see cref="RgbImage.FromPixels"/>).</summary>
public enum PixelOrder
{
    /// <summary>3 bytes a pixel: red, green, blue (FFmpeg's <c>rgb24</c>).</summary>
    Rgb24,

    /// <summary>3 bytes a pixel: blue, green, red (OpenCV's <c>Mat</c> of <c>CV_8UC3</c>, FFmpeg's <c>bgr24</c>).</summary>
    Bgr24,

    /// <summary>4 bytes a pixel: red, green, blue, alpha (ignored).</summary>
    Rgba32,

    /// <summary>4 bytes a pixel: blue, green, red, alpha (ignored; Windows bitmaps, OpenCV's <c>CV_8UC4</c>).</summary>
    Bgra32,
}
