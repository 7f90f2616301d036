using SsdSharp.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>
/// Builds the VGG16 base as the reference's flat <c>vgg(cfg, i, batch_norm)</c> list, so that
/// list indices (and so checkpoint keys <c>vgg.{i}.weight</c>) match: ReLU and pooling layers
/// keep their slots although they hold no parameters.
/// </summary>
public static class VggBase
{
    /// <summary>The layers of the base, in order, ending with conv6 (dilated), ReLU, conv7, ReLU.</summary>
    /// <param name="config">Supplies <see cref="SsdConfig.BaseLayers"/>, <see cref="SsdConfig.BatchNorm"/> and <see cref="SsdConfig.FcChannels"/>.</param>
    /// <param name="conv4_3Index">Index of the layer whose output is the first source: the ReLU after the
    /// convolution at <see cref="NetworkLayout.FirstSourcePosition"/> (conv4_3 in VGG16, <c>vgg.22</c>).</param>
    public static List<nn.Module<Tensor, Tensor>> Create(SsdConfig config, out int conv4_3Index)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int channels = 3;
        conv4_3Index = -1;
        int firstSource = config.Layout.FirstSourcePosition;
        for (int position = 0; position < config.BaseLayers.Count; position++)
        {
            var entry = config.BaseLayers[position];
            switch (entry.Kind)
            {
                case BaseLayerKind.MaxPool:
                    layers.Add(nn.MaxPool2d(2, 2));
                    break;
                case BaseLayerKind.CeilMaxPool:
                    layers.Add(nn.MaxPool2d(2, 2, ceil_mode: true));
                    break;
                default:
                    layers.Add(nn.Conv2d(channels, entry.OutChannels, 3, padding: 1));
                    if (config.BatchNorm) layers.Add(nn.BatchNorm2d(entry.OutChannels));
                    layers.Add(nn.ReLU());
                    channels = entry.OutChannels;
                    if (position == firstSource) conv4_3Index = layers.Count - 1;
                    break;
            }
        }
        // pool5 keeps the resolution of conv5 so that conv6/conv7 (the converted fc6/fc7) stay at 19×19.
        layers.Add(nn.MaxPool2d(3, 1, 1));
        layers.Add(nn.Conv2d(channels, config.FcChannels, 3, padding: 6, dilation: 6));
        layers.Add(nn.ReLU());
        layers.Add(nn.Conv2d(config.FcChannels, config.FcChannels, 1));
        layers.Add(nn.ReLU());
        return layers;
    }
}
