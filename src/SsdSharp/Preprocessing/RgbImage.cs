using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Preprocessing;

/// <summary>
/// A decoded image as 32-bit floats: <c>Pixels[(y · Width + x) · 3 + c]</c>, channels R, G, B,
/// values 0–255 when decoded (photometric distortion may leave that range, as in the reference,
/// which works on float images without clipping).
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps an existing interleaved RGB buffer (not copied).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="pixels">Row-major interleaved RGB, length <c>width · height · 3</c>.</param>
    public RgbImage(int width, int height, float[] pixels)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}×{height}");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} values for {width}×{height} RGB, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major interleaved R, G, B values.</summary>
    public float[] Pixels { get; }

    /// <summary>An image of one colour.</summary>
    public static RgbImage Filled(int width, int height, float r, float g, float b)
    {
        var pixels = new float[width * height * 3];
        for (int i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Decodes an image file (EXIF orientation applied) to floats.</summary>
    /// <exception cref="ImageDecodeException">
    /// The file is missing, cannot be read (permission denied), is not an image, or is truncated: a bad file of
    /// many is one error that names it, which a caller may skip, never another exception type.
    /// </exception>
    public static RgbImage Decode(string path)
    {
        try
        {
            using var bitmap = ImageDecoder.Decode(path);
            return FromBitmap(bitmap);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Opening is ImageDecoder's to name; reading can still fail (a disk error, a file cut while read).
            throw new ImageDecodeException(path, IO.InputFile.CannotRead(path, e));
        }
    }

    /// <summary>
    /// Converts a bitmap's colour to floats, dropping alpha. Premultiplied colours are divided by
    /// alpha first and rounded, so that a translucent PNG gives the whole 0-255 values OpenCV's <c>imread</c>
    /// would (to the precision premultiplication left) and an 8-bit frame can hold them exactly
    /// (<c>ImageSequence</c>).
    /// </summary>
    public static RgbImage FromBitmap(SKBitmap bitmap)
    {
        if (bitmap.ColorType is not (SKColorType.Rgba8888 or SKColorType.Bgra8888))
        {
            using var converted = bitmap.Copy(SKColorType.Rgba8888)
                ?? throw new ArgumentException($"cannot convert a {bitmap.ColorType} bitmap to RGBA", nameof(bitmap));
            return FromBitmap(converted);
        }
        int width = bitmap.Width, height = bitmap.Height, rowBytes = bitmap.RowBytes;
        bool bgra = bitmap.ColorType == SKColorType.Bgra8888;
        bool premultiplied = bitmap.AlphaType == SKAlphaType.Premul;
        var pixels = new float[width * height * 3];
        unsafe
        {
            byte* source = (byte*)bitmap.GetPixels();
            fixed (float* destination = pixels)
            {
                for (int y = 0; y < height; y++)
                {
                    byte* p = source + (long)y * rowBytes;
                    float* o = destination + (long)y * width * 3;
                    if (bgra) CopyRow(p, o, width, 2, 0);
                    else CopyRow(p, o, width, 0, 2);
                    if (premultiplied)
                    {
                        for (int x = 0; x < width; x++)
                        {
                            if (p[x * 4 + 3] != 255) Unpremultiply(o + x * 3, p[x * 4 + 3]);
                        }
                    }
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>
    /// Converts an 8-bit interleaved buffer (a video frame, an OpenCV <c>Mat</c>'s data, a camera's buffer) to floats.
    /// Alpha, when there is one, is ignored.
    /// </summary>
    /// <param name="pixels">Rows of pixels, each <paramref name="stride"/> bytes apart.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="order">The channel order.</param>
    /// <param name="stride">Bytes from one row to the next; 0 for rows without padding.</param>
    /// <exception cref="ArgumentException">The buffer is shorter than the size and stride say.</exception>
    public static RgbImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, PixelOrder order, int stride = 0)
    {
        int channels = order is PixelOrder.Rgb24 or PixelOrder.Bgr24 ? 3 : 4;
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}×{height}");
        if (stride == 0) stride = width * channels;
        if (stride < width * channels)
            throw new ArgumentOutOfRangeException(nameof(stride), $"a row of {width} {order} pixels needs {width * channels} bytes, got a stride of {stride}");
        long needed = (long)stride * (height - 1) + width * channels;
        if (pixels.Length < needed)
            throw new ArgumentException($"{width}×{height} {order} pixels with a stride of {stride} need {needed} bytes, got {pixels.Length}", nameof(pixels));
        bool bgr = order is PixelOrder.Bgr24 or PixelOrder.Bgra32;
        int r = bgr ? 2 : 0, b = bgr ? 0 : 2;
        var values = new float[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, width * channels);
            var output = values.AsSpan(y * width * 3, width * 3);
            for (int x = 0, i = 0, o = 0; x < width; x++, i += channels, o += 3)
            {
                output[o] = row[i + r];
                output[o + 1] = row[i + 1];
                output[o + 2] = row[i + b];
            }
        }
        return new RgbImage(width, height, values);
    }

    /// <summary>A copy of the rectangle at (<paramref name="x"/>, <paramref name="y"/>) of <paramref name="width"/> × <paramref name="height"/> pixels, which must lie inside the image.</summary>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > Width || y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"crop {width}×{height} at ({x}, {y}) is not inside the {Width}×{Height} image");
        var values = new float[width * height * 3];
        for (int row = 0; row < height; row++)
            Pixels.AsSpan(((y + row) * Width + x) * 3, width * 3).CopyTo(values.AsSpan(row * width * 3));
        return new RgbImage(width, height, values);
    }

    private static unsafe void CopyRow(byte* source, float* destination, int width, int r, int b)
    {
        for (int x = 0; x < width; x++, source += 4, destination += 3)
        {
            destination[0] = source[r];
            destination[1] = source[1];
            destination[2] = source[b];
        }
    }

    private static unsafe void Unpremultiply(float* rgb, byte alpha)
    {
        float scale = alpha == 0 ? 0 : 255f / alpha;
        for (int c = 0; c < 3; c++) rgb[c] = MathF.Min(255, MathF.Round(rgb[c] * scale));
    }
}
