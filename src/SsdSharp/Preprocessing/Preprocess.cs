using SkiaSharp;
using SsdSharp.Configuration;

namespace SsdSharp.Preprocessing;

/// <summary>
/// The network input of an image for inference and evaluation: bilinear resize to the input square,
/// mean subtraction, channel order, CHW (the reference's <c>BaseTransform</c>). Training ends with the
/// same code, so what the network sees at test time matches what it learnt from.
/// </summary>
public static class Preprocess
{
    /// <summary>
    /// The network input of a bitmap: <c>float[3 · S · S]</c> in CHW layout (channel, row, column),
    /// S = <c>config.InputSize</c>, channels in <c>config.ChannelOrder</c> minus <c>config.PixelMeans</c>.
    /// </summary>
    public static float[] ToNetworkInput(SKBitmap bitmap, SsdConfig config) =>
        ToNetworkInput(RgbImage.FromBitmap(bitmap), NetworkInputFormat.From(config));

    /// <summary>As <see cref="ToNetworkInput(SKBitmap, SsdConfig)"/>, for an image already in floats.</summary>
    public static float[] ToNetworkInput(RgbImage image, NetworkInputFormat format)
    {
        var input = new float[format.Length];
        ToNetworkInput(image, format, input);
        return input;
    }

    /// <summary>
    /// Writes the network input of <paramref name="image"/> into <paramref name="destination"/>
    /// (length 3 · S · S), for example one image's slice of a batch tensor's memory.
    /// </summary>
    public static void ToNetworkInput(RgbImage image, NetworkInputFormat format, Span<float> destination) =>
        BilinearResize.ToChw(new AugmentedImage(image), format, destination);

    /// <summary>
    /// Writes the network input of the image mirrored left to right, given the image's own <paramref name="input"/>
    /// (<c>[3, S, S]</c>): every row reversed. The same as preprocessing the mirrored image (the training's mirror),
    /// since the resize samples both halves of a row alike, and without decoding or resizing again.
    /// </summary>
    public static void Mirror(ReadOnlySpan<float> input, Span<float> destination, int size)
    {
        if (input.Length != 3 * size * size || destination.Length != input.Length)
            throw new ArgumentException($"expected 3 · {size} · {size} floats, got {input.Length} and {destination.Length}");
        for (int row = 0; row < 3 * size; row++)
        {
            var target = destination.Slice(row * size, size);
            input.Slice(row * size, size).CopyTo(target);
            target.Reverse();
        }
    }
}
