using SkiaSharp;

namespace SsdSharp.Imaging;

/// <summary>
/// Decodes images (JPEG, PNG, BMP, WebP, GIF first frame) to RGBA bitmaps with the EXIF
/// orientation applied, so that pixels are as a viewer shows them.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes a file.</summary>
    /// <exception cref="ImageDecodeException">The file is missing, not an image, or truncated.</exception>
    public static SKBitmap Decode(string path)
    {
        if (!File.Exists(path)) throw new ImageDecodeException(path, "file not found");
        using var stream = File.OpenRead(path);
        return Decode(stream, path);
    }

    /// <summary>Decodes a stream; <paramref name="name"/> appears in error messages.</summary>
    public static SKBitmap Decode(Stream stream, string name = "stream")
    {
        using var data = SKData.Create(stream);
        if (data is null || data.Size == 0) throw new ImageDecodeException(name, "empty file");
        using var codec = SKCodec.Create(data) ?? throw new ImageDecodeException(name, "not a recognised image (expected JPEG, PNG, BMP, WebP or GIF)");
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
    /// <exception cref="ImageDecodeException">Missing or not an image.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        if (!File.Exists(path)) throw new ImageDecodeException(path, "file not found");
        using var codec = SKCodec.Create(path) ?? throw new ImageDecodeException(path, "not a recognised image (expected JPEG, PNG, BMP, WebP or GIF)");
        return SwapsSides(codec.EncodedOrigin) ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Whether an EXIF orientation turns the image by 90°, so that width and height trade places.</summary>
    private static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

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
}
