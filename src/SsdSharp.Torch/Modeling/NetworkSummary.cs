using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>One layer of the summary.</summary>
/// <param name="Name">State-dict name (<c>vgg.21</c>, <c>L2Norm</c>, <c>extras.1</c>, <c>loc.0</c>).</param>
/// <param name="Kind">Layer type and its settings, e.g. <c>Conv2d(512→1024, 3×3, pad 6, dil 6)</c>.</param>
/// <param name="OutputShape">Output shape for one input image.</param>
/// <param name="Parameters">Number of parameters of the layer itself.</param>
/// <param name="MultiplyAccumulates">Multiply-accumulate operations for one image (convolutions only).</param>
public sealed record LayerSummary(string Name, string Kind, long[] OutputShape, long Parameters, long MultiplyAccumulates);

/// <summary>A source feature map and its default boxes.</summary>
/// <param name="Shape">Shape of the feature map for one image, <c>[1, C, H, W]</c>.</param>
/// <param name="BoxesPerLocation">Default boxes per location.</param>
/// <param name="Priors">Default boxes of this source: H · W · boxes per location.</param>
public sealed record SourceSummary(long[] Shape, int BoxesPerLocation, int Priors);

/// <summary>
/// The classic analysis of an SSD network: every layer with its output shape, the source feature
/// maps and their default boxes, parameter count and multiply-accumulates for one image.
/// </summary>
/// <param name="Config">Configuration name.</param>
/// <param name="InputShape">The input, <c>[1, 3, S, S]</c>.</param>
/// <param name="Classes">Classes including background.</param>
/// <param name="Layers">Every layer in execution order.</param>
/// <param name="Sources">The source feature maps.</param>
/// <param name="TotalPriors">Total default boxes.</param>
/// <param name="TotalParameters">Parameters of the whole network.</param>
/// <param name="TotalMultiplyAccumulates">Multiply-accumulates for one image.</param>
public sealed record NetworkSummary(string Config, long[] InputShape, int Classes, IReadOnlyList<LayerSummary> Layers,
    IReadOnlyList<SourceSummary> Sources, int TotalPriors, long TotalParameters, long TotalMultiplyAccumulates)
{
    /// <summary>Runs one zero image through <paramref name="network"/> and records every layer.</summary>
    public static NetworkSummary Of(SsdNetwork network)
    {
        var config = network.Config;
        var layers = new List<LayerSummary>();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = zeros(1, 3, config.InputSize, config.InputSize);
        network.Forward(input, (name, module, output) =>
            layers.Add(new LayerSummary(name, Describe(module), output.shape, OwnParameters(module), MultiplyAccumulates(module, output))));

        // Each loc head keeps its source's spatial size, so the same pass gives the source shapes.
        var channels = config.Layout.SourceChannels;
        var sources = layers.Where(l => l.Name.StartsWith("loc.", StringComparison.Ordinal)).Select((l, k) =>
        {
            long[] shape = [1, channels[k], l.OutputShape[2], l.OutputShape[3]];
            return new SourceSummary(shape, config.BoxesPerLocation[k], (int)(shape[2] * shape[3]) * config.BoxesPerLocation[k]);
        }).ToList();
        return new NetworkSummary(config.Name, [1, 3, config.InputSize, config.InputSize], config.NumClasses, layers, sources,
            sources.Sum(s => s.Priors), network.parameters().Sum(p => p.numel()), layers.Sum(l => l.MultiplyAccumulates));
    }

    private static long OwnParameters(nn.Module module) => module.parameters(recurse: false).Sum(p => p.numel());

    private static long MultiplyAccumulates(nn.Module module, Tensor output) => module switch
    {
        // Every output element costs in_channels/groups · kh · kw multiply-accumulates.
        Conv2d conv => output.numel() * (conv.weight!.shape[1] * conv.weight.shape[2] * conv.weight.shape[3]),
        _ => 0,
    };

    private static string Describe(nn.Module module) => module switch
    {
        Conv2d c => $"Conv2d({c.weight!.shape[1]}→{c.weight.shape[0]}, {c.weight.shape[2]}×{c.weight.shape[3]}" +
                    $"{(c.stride[0] != 1 ? $", stride {c.stride[0]}" : "")}{(c.padding is { } p && p[0] != 0 ? $", pad {p[0]}" : "")}" +
                    $"{(c.dilation[0] != 1 ? $", dil {c.dilation[0]}" : "")})",
        MaxPool2d m => $"MaxPool2d({m.kernel_size[0]}×{m.kernel_size[0]}, stride {m.stride?[0]}{(m.padding?[0] is > 0 ? $", pad {m.padding[0]}" : "")}{(m.ceil_mode ? ", ceil" : "")})",
        BatchNorm2d b => $"BatchNorm2d({b.weight?.shape[0]})",
        ReLU => "ReLU",
        L2Norm l => $"L2Norm({l.Weight.shape[0]})",
        _ => module.GetName(),
    };
}
