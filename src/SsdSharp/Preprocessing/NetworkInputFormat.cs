using SsdSharp.Configuration;

namespace SsdSharp.Preprocessing;

/// <summary>
/// What the network expects as input (SPEC §1): a square of <see cref="Size"/> pixels, channels in
/// <see cref="ChannelOrder"/>, each minus its mean, no scaling.
/// </summary>
/// <param name="Size">Side of the square input in pixels.</param>
/// <param name="ChannelOrder">The order of the network's input channels.</param>
/// <param name="Means">Mean per network input channel, in <paramref name="ChannelOrder"/>.</param>
public sealed record NetworkInputFormat(int Size, ChannelOrder ChannelOrder, IReadOnlyList<double> Means)
{
    /// <summary>The format of a configuration: <c>InputSize</c>, <c>ChannelOrder</c>, <c>PixelMeans</c>.</summary>
    public static NetworkInputFormat From(SsdConfig config) => new(config.InputSize, config.ChannelOrder, config.PixelMeans);

    /// <summary>Number of floats of one image in CHW layout: 3 · Size · Size.</summary>
    public int Length => 3 * Size * Size;

    /// <summary>The mean colour as R, G, B: the fill of the expand canvas (the reference fills with the means).</summary>
    public float[] MeanRgb => IsBgr
        ? [(float)Means[2], (float)Means[1], (float)Means[0]]
        : [(float)Means[0], (float)Means[1], (float)Means[2]];

    /// <summary>Whether the network's channel 0 is blue.</summary>
    internal bool IsBgr => ChannelOrder == ChannelOrder.Bgr;
}
