namespace SsdSharp.Configuration;

/// <summary>
/// Facts about the network that follow from a configuration's layer lists, worked out in one place:
/// which base layer feeds the first source, and the side and channels of every source feature map.
/// </summary>
/// <param name="FirstSourcePosition">Index in <see cref="SsdConfig.BaseLayers"/> of the convolution whose output
/// (after its ReLU) is the first source: the last convolution before the last max pool (conv4_3 in VGG16).</param>
/// <param name="SourceSizes">Side of each source feature map for one input image.</param>
/// <param name="SourceChannels">Channels of each source feature map.</param>
public sealed record NetworkLayout(int FirstSourcePosition, IReadOnlyList<int> SourceSizes, IReadOnlyList<int> SourceChannels)
{
    /// <summary>Works the layout out from <paramref name="config"/>'s base and extra layers.</summary>
    /// <exception cref="SsdConfigException">The base has no convolution before a last max pool.</exception>
    public static NetworkLayout Of(SsdConfig config)
    {
        var layers = config.BaseLayers;
        int lastPool = -1;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].IsPool) lastPool = i;
        }
        int first = -1;
        for (int i = 0; i < lastPool; i++)
        {
            if (!layers[i].IsPool) first = i;
        }
        if (first < 0)
            throw new SsdConfigException(nameof(SsdConfig.BaseLayers), "needs a convolution before a last max pool: the first source is the last convolution before it (conv4_3)");

        var sizes = new List<int>();
        var channels = new List<int> { layers[first].OutChannels, config.FcChannels };
        int size = config.InputSize;
        for (int i = 0; i < layers.Count; i++)
        {
            if (i == lastPool) sizes.Add(size);
            size = layers[i].OutputSize(size);
        }
        sizes.Add(size); // conv7: pool5 (3×3, stride 1, pad 1) and the dilated conv6 keep the size.
        for (int i = 0; i < config.Extras.Count; i++)
        {
            var e = config.Extras[i];
            size = (size + 2 * e.Padding - e.Kernel) / e.Stride + 1;
            if (i % 2 == 1)
            {
                sizes.Add(size);
                channels.Add(e.OutChannels);
            }
        }
        return new NetworkLayout(first, sizes, channels);
    }
}
