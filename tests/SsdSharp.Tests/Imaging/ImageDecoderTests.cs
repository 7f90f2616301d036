using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Tests.Imaging;

public class ImageDecoderTests
{
    /// <summary>A 40×20 image, grey with a red 10×10 block in the stored top-left corner.</summary>
    private static SKBitmap Marked()
    {
        var bitmap = new SKBitmap(new SKImageInfo(40, 20, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(128, 128, 128));
        using var red = new SKPaint { Color = SKColors.Red };
        canvas.DrawRect(0, 0, 10, 10, red);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 100);
        return data.ToArray();
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void DecodesCommonFormats(SKEncodedImageFormat format)
    {
        using var source = Marked();
        using var decoded = ImageDecoder.Decode(new MemoryStream(Encode(source, format)), $"marked.{format}");
        Assert.Equal(40, decoded.Width);
        Assert.Equal(20, decoded.Height);
        var corner = decoded.GetPixel(3, 3);
        Assert.True(corner.Red > 200 && corner.Green < 60, $"{format}: expected red at (3, 3), got {corner}");
    }

    [Fact]
    public void ExifOrientationSixIsRotatedUpright()
    {
        using var source = Marked();
        var jpeg = Encode(source, SKEncodedImageFormat.Jpeg);
        // APP1 Exif segment with one IFD entry: Orientation (0x0112) = 6, "rotate 90° clockwise to view".
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        var tagged = jpeg.Take(2).Concat(exif).Concat(jpeg.Skip(2)).ToArray();
        using var decoded = ImageDecoder.Decode(new MemoryStream(tagged), "rotated.jpg");
        Assert.Equal(20, decoded.Width);
        Assert.Equal(40, decoded.Height);
        // The stored top-left corner is shown at the top right.
        var topRight = decoded.GetPixel(16, 3);
        var topLeft = decoded.GetPixel(3, 3);
        Assert.True(topRight.Red > 200 && topRight.Green < 60, $"expected red at the top right, got {topRight}");
        Assert.True(topLeft.Red < 160, $"expected grey at the top left, got {topLeft}");
    }

    [Fact]
    public void NotAnImageNamesTheInput()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(new MemoryStream("hello"u8.ToArray()), "notes.txt"));
        Assert.Contains("notes.txt", e.Message);
        Assert.Contains("not a recognised image", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode("/nonexistent/cat.jpg"));
        Assert.Contains("/nonexistent/cat.jpg", e.Message);
    }
}
