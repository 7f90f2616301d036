using System.Globalization;
using SkiaSharp;

namespace SsdSharp.Imaging;

/// <summary>
/// Decodes images (JPEG, PNG, BMP, WebP, GIF first frame) to RGBA bitmaps with the EXIF
/// orientation applied, so that pixels are as a viewer shows them.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Default of <see cref="MaxPixels"/>: 64 megapixels, four times a 16-megapixel photograph.</summary>
    public const long DefaultMaxPixels = 64_000_000;

    /// <summary>
    /// The most <see cref="MaxPixels"/> can be: a decoded image becomes one array of three floats a pixel
    /// (<c>RgbImage</c>), and .NET arrays hold at most <see cref="Array.MaxLength"/>
    /// (2,147,483,591) elements, so 715,827,863 pixels; a round 700 megapixels keeps below it.
    /// </summary>
    public const long MaxSupportedPixels = 700_000_000;

    private static long _maxPixels = DefaultMaxPixels;

    /// <summary>
    /// Largest image, in pixels (width × height), that is decoded or sized: a larger one is refused from its
    /// header, before any pixel memory is allocated, so that a file declaring 100000×100000 cannot exhaust
    /// memory. Process-wide; raise it (up to <see cref="MaxSupportedPixels"/>) to read larger images.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value below 1 or above <see cref="MaxSupportedPixels"/>.</exception>
    public static long MaxPixels
    {
        get => Interlocked.Read(ref _maxPixels);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSupportedPixels);
            Interlocked.Exchange(ref _maxPixels, value);
        }
    }

    /// <summary>Decodes a file.</summary>
    /// <exception cref="ImageDecodeException">The file is missing, not an image, truncated, or above <see cref="MaxPixels"/>.</exception>
    public static SKBitmap Decode(string path)
    {
        if (!File.Exists(path)) throw new ImageDecodeException(path, "file not found");
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, IO.InputFile.CannotRead(path, e));
        }
        using (stream) return Decode(stream, path);
    }

    /// <summary>Decodes a stream; <paramref name="name"/> appears in error messages.</summary>
    public static SKBitmap Decode(Stream stream, string name = "stream")
    {
        using var data = SKData.Create(stream);
        if (data is null || data.Size == 0) throw new ImageDecodeException(name, "empty file");
        using var codec = SKCodec.Create(data) ?? throw new ImageDecodeException(name, "not a recognised image (expected JPEG, PNG, BMP, WebP or GIF)");
        CheckSize(name, codec.Info.Width, codec.Info.Height);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new ImageDecodeException(name, $"cannot decode: {result}");
        }
        if (result == SKCodecResult.IncompleteInput)
        {
            bitmap.Dispose();
            throw new ImageDecodeException(name, "truncated image data");
        }
        return ApplyOrientation(bitmap, codec.EncodedOrigin);
    }

    /// <summary>An image's upright size (EXIF orientation applied) from its header, without decoding the pixels.</summary>
    /// <exception cref="ImageDecodeException">Missing, not an image, or above <see cref="MaxPixels"/>.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        if (!File.Exists(path)) throw new ImageDecodeException(path, "file not found");
        using var codec = SKCodec.Create(path) ?? throw new ImageDecodeException(path, "not a recognised image (expected JPEG, PNG, BMP, WebP or GIF)");
        // Refused here too, so that a dataset skips the image before anything tries to decode it.
        CheckSize(path, codec.Info.Width, codec.Info.Height);
        return SwapsSides(codec.EncodedOrigin) ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Whether an EXIF orientation turns the image by 90°, so that width and height trade places.</summary>
    private static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Refuses an image above <see cref="MaxPixels"/>, naming it, its size and the limit; as the limit is at most
    /// <see cref="MaxSupportedPixels"/>, an image that passes fits the pixel arrays.
    /// </summary>
    /// <exception cref="ImageDecodeException">The image is too large.</exception>
    internal static void CheckSize(string name, int width, int height)
    {
        long pixels = (long)width * height, limit = MaxPixels;
        if (pixels > limit)
            throw new ImageDecodeException(name, string.Create(CultureInfo.InvariantCulture,
                $"image of {width}×{height} pixels ({pixels / 1e6:0.#} megapixels) is above the limit of {limit / 1e6:0.#} megapixels"));
    }

    /// <summary>Rotates or mirrors a bitmap so that its EXIF origin becomes top-left; disposes the input when it changes.</summary>
    private static SKBitmap ApplyOrientation(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default) return bitmap;
        bool swap = SwapsSides(origin);
        int w = swap ? bitmap.Height : bitmap.Width;
        int h = swap ? bitmap.Width : bitmap.Height;
        var rotated = new SKBitmap(new SKImageInfo(w, h, bitmap.ColorType, bitmap.AlphaType));
        using (var canvas = new SKCanvas(rotated))
        {
            canvas.SetMatrix(OrientationMatrix(origin, bitmap.Width, bitmap.Height));
            canvas.DrawBitmap(bitmap, 0, 0);
        }
        bitmap.Dispose();
        return rotated;
    }

    // Maps source pixels to the upright frame for each of the eight EXIF orientations.
    private static SKMatrix OrientationMatrix(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}

/// <summary>An image that cannot be read, naming the file and why.</summary>
public sealed class ImageDecodeException(string path, string reason) : SsdInputException($"{path}: {reason}")
{
    /// <summary>The file or stream name.</summary>
    public string Path { get; } = path;

    /// <summary>Why the image cannot be read, without its name.</summary>
    public string Reason { get; } = reason;
}
