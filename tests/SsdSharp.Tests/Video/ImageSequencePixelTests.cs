using SkiaSharp;
using SsdSharp.Imaging;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Video;

namespace SsdSharp.Tests.Video;

/// <summary>
/// A frame of <c>ssd detect --track FOLDER</c> is read as <c>ssd detect</c> reads the same file: a translucent
/// PNG's colours were taken premultiplied (half as bright at half alpha), so the two gave different detections.
/// </summary>
public sealed class ImageSequencePixelTests
{
    [Fact]
    public async Task ATranslucentFrameHasTheStillImagesPixels()
    {
        using var temp = new TempFolder();
        var path = temp.Path("frame.png");
        File.WriteAllBytes(path, TranslucentPng());

        var sequence = new ImageSequence("frames", [path]);
        VideoFrame? frame = null;
        await foreach (var f in sequence.ReadAsync()) frame = f;

        using var decoded = ImageDecoder.Decode(path);
        var still = RgbImage.FromBitmap(decoded);
        Assert.Equal(still.Pixels, frame!.ToRgbImage().Pixels);
        // The file's colour at alpha 128 (to the precision premultiplication leaves), not its premultiplied half.
        Assert.All(new[] { 200f, 100f, 40f }.Zip(still.Pixels), p => Assert.InRange(p.Second, p.First - 1, p.First + 1));
    }

    /// <summary>A 4×2 PNG of colour (200, 100, 40) at alpha 128, and of other colours at other alphas.</summary>
    private static byte[] TranslucentPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(4, 2, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        byte[] alphas = [128, 255, 1, 0, 64, 200, 17, 250];
        for (int i = 0; i < alphas.Length; i++)
            bitmap.SetPixel(i % 4, i / 4, i == 0 ? new SKColor(200, 100, 40, alphas[i]) : new SKColor((byte)(30 * i), (byte)(255 - 20 * i), 77, alphas[i]));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
