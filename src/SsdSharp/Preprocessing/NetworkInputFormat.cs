using System.Globalization;
using SsdSharp.Configuration;

namespace SsdSharp.Preprocessing;

/// <summary>
/// What the network expects as input: a square of <see cref="Size"/> pixels, channels in
/// <see cref="ChannelOrder"/>, each brought to <see cref="PixelRange"/>, minus its mean, divided by its std,
/// before or after the resize (SPEC §1: 8-bit values minus the means, after the resize).
/// </summary>
/// <param name="Size">Side of the square input in pixels.</param>
/// <param name="ChannelOrder">The order of the network's input channels.</param>
/// <param name="Means">Mean per network input channel, in <paramref name="ChannelOrder"/>, in units of <see cref="PixelRange"/>.</param>
public sealed record NetworkInputFormat(int Size, ChannelOrder ChannelOrder, IReadOnlyList<double> Means)
{
    /// <summary>Divisor per network input channel, in <see cref="ChannelOrder"/>, applied after the mean (1: none).</summary>
    public IReadOnlyList<double> Stds { get; init; } = [1, 1, 1];

    /// <summary>What a full-intensity 8-bit channel is worth before the means apply: 255 (the bytes as they are) or 1.</summary>
    public double PixelRange { get; init; } = 255;

    /// <summary>Whether means and stds apply to the image before the resize instead of after it.</summary>
    public bool NormalizeBeforeResize { get; init; }

    /// <summary>The bilinear resize's rounding convention.</summary>
    public ResizeSampling Sampling { get; init; } = ResizeSampling.OpenCv;

    /// <summary>The format of a configuration: its input size and the preprocessing fields of <see cref="SsdConfig"/>.</summary>
    public static NetworkInputFormat From(SsdConfig config) => new(config.InputSize, config.ChannelOrder, config.PixelMeans)
    {
        Stds = config.PixelStds,
        PixelRange = config.PixelRange,
        NormalizeBeforeResize = config.NormalizeBeforeResize,
        Sampling = config.ResizeSampling,
    };

    /// <summary>How an image becomes this input, in words (the metadata of an exported model): resize, channel order, values, normalisation and its place.</summary>
    public string Description
    {
        get
        {
            var resize = $"bilinear resize ({(Sampling == ResizeSampling.OpenCv ? "OpenCV INTER_LINEAR" : "PyTorch interpolate, align_corners=False, no antialiasing")}) to {Size}x{Size}, aspect not kept";
            var values = PixelRange == 255 ? "0-255 values" : $"values scaled to 0-{PixelRange.ToString(CultureInfo.InvariantCulture)}";
            var normalise = $"{values} minus pixel_means per channel, {(Stds.All(s => s == 1) ? "no scaling" : "divided by pixel_stds")}";
            var order = IsBgr ? "BGR" : "RGB";
            return NormalizeBeforeResize
                ? $"{order}, {normalise}, then {resize}, NCHW float32"
                : $"{resize}, {order}, {normalise}, NCHW float32";
        }
    }

    /// <summary>Number of floats of one image in CHW layout: 3 · Size · Size.</summary>
    public int Length => 3 * Size * Size;

    /// <summary>The mean colour as R, G, B in 8-bit units: the fill of the expand canvas (the reference fills with the means).</summary>
    public float[] MeanRgb
    {
        get
        {
            // 255 / PixelRange is exactly 1 for 8-bit means, which therefore come out unchanged.
            double toBytes = 255 / PixelRange;
            return IsBgr
                ? [(float)(Means[2] * toBytes), (float)(Means[1] * toBytes), (float)(Means[0] * toBytes)]
                : [(float)(Means[0] * toBytes), (float)(Means[1] * toBytes), (float)(Means[2] * toBytes)];
        }
    }

    /// <summary>Whether the network's channel 0 is blue.</summary>
    internal bool IsBgr => ChannelOrder == ChannelOrder.Bgr;
}
