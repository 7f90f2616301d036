using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Data;

/// <summary>Reads an image's upright size from its header, without decoding the pixels.</summary>
internal static class ImageHeader
{
    /// <exception cref="ImageDecodeException">Missing, not an image, or above <see cref="ImageDecoder.MaxPixels"/>.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        if (!File.Exists(path)) throw new ImageDecodeException(path, "file not found");
        using var codec = SKCodec.Create(path) ?? throw new ImageDecodeException(path, "not a recognised image (expected JPEG, PNG, BMP, WebP or GIF)");
        // Refused here too, so that a dataset skips the image before anything tries to decode it.
        ImageDecoder.CheckSize(path, codec.Info.Width, codec.Info.Height);
        // EXIF rotations by 90° swap the sides, as ImageDecoder.Decode does.
        bool swap = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        return swap ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
    }
}
