using System.Globalization;
using SsdSharp.Boxes;
using SsdSharp.Configuration;

namespace SsdSharp.Explaining;

/// <summary>One feature map of the network diagram: the output of a VGG stage, of fc6 or fc7, or of an extra pair.</summary>
/// <param name="Name">The paper's name of the layer that makes it (<c>conv4_3</c>, <c>conv7 (fc7)</c>, <c>conv8_2</c>).</param>
/// <param name="Layers">The layers from the previous map to this one, one line each (<c>max pool 2×2</c>, <c>3 × conv 3×3, 512</c>).</param>
/// <param name="Size">Side of the map for one input.</param>
/// <param name="Channels">Channels of the map.</param>
/// <param name="Source">The source index when the map feeds the heads; null otherwise.</param>
/// <param name="Part">Which part of SSD it belongs to: the VGG base or the extra feature layers.</param>
public sealed record DiagramMap(string Name, IReadOnlyList<string> Layers, int Size, int Channels, int? Source, DiagramPart Part);

/// <summary>The two parts of SSD's feature extractor in the paper's figure 2.</summary>
public enum DiagramPart
{
    /// <summary>VGG-16 through conv5_3, with pool5 and fc6/fc7 turned into convolutions.</summary>
    Base,

    /// <summary>The extra feature layers added by SSD.</summary>
    Extras,
}

/// <summary>A source feature map and what its heads predict.</summary>
/// <param name="Index">Source index k.</param>
/// <param name="Map">Name of the map (<see cref="DiagramMap.Name"/>).</param>
/// <param name="Size">Side of the map.</param>
/// <param name="Channels">Channels of the map.</param>
/// <param name="L2Norm">Whether the map is L2-normalised before its heads (the first source).</param>
/// <param name="BoxesPerLocation">Default boxes per location: 2 + 2 · (aspect ratios).</param>
/// <param name="LocChannels">Output channels of the 3×3 localisation head: 4 per box.</param>
/// <param name="ConfChannels">Output channels of the 3×3 confidence head: one per class and box.</param>
/// <param name="Priors">Default boxes of this source: side² · boxes per location.</param>
/// <param name="FirstPrior">Index of its first default box; its boxes are <c>FirstPrior … FirstPrior + Priors − 1</c>.</param>
/// <param name="MinSize">Side of its smallest square box, input pixels.</param>
/// <param name="ExtraSize">Side of its extra square box, <c>sqrt(min · max)</c>, input pixels.</param>
/// <param name="AspectRatios">Its aspect ratios besides 1.</param>
public sealed record DiagramSource(int Index, string Map, int Size, int Channels, bool L2Norm, int BoxesPerLocation,
    int LocChannels, int ConfChannels, int Priors, int FirstPrior, double MinSize, double ExtraSize, IReadOnlyList<double> AspectRatios);

/// <summary>
/// The facts the network diagram of <c>ssd summary --diagram</c> shows, worked out from a configuration alone
/// (so the drawing is right for every preset and custom configuration): the feature maps from input to the last
/// extra layer with their sizes and channels, the source maps with their heads and default boxes.
/// </summary>
/// <param name="Name">Configuration name.</param>
/// <param name="InputSize">Side of the input.</param>
/// <param name="Classes">Classes including background.</param>
/// <param name="BatchNorm">Whether the base convolutions have batch normalisation.</param>
/// <param name="Maps">The feature maps in execution order.</param>
/// <param name="Sources">The source maps in source order.</param>
/// <param name="TotalPriors">Default boxes of all sources.</param>
public sealed record NetworkDiagram(string Name, int InputSize, int Classes, bool BatchNorm, IReadOnlyList<DiagramMap> Maps,
    IReadOnlyList<DiagramSource> Sources, int TotalPriors)
{
    /// <summary>The diagram of <paramref name="config"/>.</summary>
    /// <exception cref="SsdConfigException">The configuration is invalid.</exception>
    public static NetworkDiagram Of(SsdConfig config)
    {
        config.Validate();
        var layout = config.Layout;
        var maps = new List<DiagramMap>();
        var pending = new List<string>();
        var convs = new List<int>();
        int stage = 1, size = config.InputSize, channels = 3, source = 0;
        string norm = config.BatchNorm ? " + BN" : "";

        void EndStage(int lastConv)
        {
            // Consecutive convolutions of one width read as one line: "3 × conv 3×3, 512".
            foreach (var run in Runs(convs))
                pending.Add($"{(run.Count > 1 ? $"{run.Count} × " : "")}conv 3×3, {run.Channels}{norm}");
            bool isSource = lastConv == layout.FirstSourcePosition;
            maps.Add(new DiagramMap($"conv{stage}_{convs.Count}", [.. pending], size, channels, isSource ? source++ : null, DiagramPart.Base));
            pending.Clear();
            convs.Clear();
        }

        for (int i = 0; i < config.BaseLayers.Count; i++)
        {
            var layer = config.BaseLayers[i];
            if (layer.IsPool)
            {
                if (convs.Count > 0) EndStage(i - 1);
                stage++;
                pending.Add(layer.Kind == BaseLayerKind.CeilMaxPool ? "max pool 2×2, ceil" : "max pool 2×2");
                size = layer.OutputSize(size);
                continue;
            }
            convs.Add(layer.OutChannels);
            channels = layer.OutChannels;
        }
        if (convs.Count > 0) EndStage(config.BaseLayers.Count - 1);

        // conv6 and conv7 are VGG's fc6 and fc7 made convolutional; pool5 (3×3, stride 1) keeps the size.
        maps.Add(new DiagramMap($"conv{stage + 1} (fc6)", [.. pending, "max pool 3×3, stride 1", $"conv 3×3, dilation 6, {config.FcChannels}"],
            size, config.FcChannels, null, DiagramPart.Base));
        maps.Add(new DiagramMap($"conv{stage + 2} (fc7)", [$"conv 1×1, {config.FcChannels}"], size, config.FcChannels, source++, DiagramPart.Base));
        for (int i = 0; i + 1 < config.Extras.Count; i += 2)
        {
            var (reduce, map) = (config.Extras[i], config.Extras[i + 1]);
            size = Output(Output(size, reduce), map);
            maps.Add(new DiagramMap($"conv{stage + 3 + i / 2}_2", [Describe(reduce), Describe(map)], size, map.OutChannels, source++, DiagramPart.Extras));
        }

        var index = PriorIndex.For(config);
        var sources = maps.Where(m => m.Source is not null).Select(m =>
        {
            int k = m.Source!.Value, boxes = config.BoxesPerLocation[k];
            return new DiagramSource(k, m.Name, m.Size, m.Channels, k == 0, boxes, 4 * boxes, config.NumClasses * boxes,
                index.CountOf(k), index.Start(k), config.MinSizes[k], Math.Sqrt(config.MinSizes[k] * config.MaxSizes[k]), config.AspectRatios[k]);
        }).ToList();
        return new NetworkDiagram(config.Name, config.InputSize, config.NumClasses, config.BatchNorm, maps, sources, index.Count);
    }

    private static int Output(int size, ExtraLayer e) => (size + 2 * e.Padding - e.Kernel) / e.Stride + 1;

    private static string Describe(ExtraLayer e)
    {
        var text = $"conv {e.Kernel}×{e.Kernel}";
        if (e.Stride != 1) text += $", stride {e.Stride}";
        if (e.Padding != 0) text += $", pad {e.Padding}";
        return text + ", " + e.OutChannels.ToString(CultureInfo.InvariantCulture);
    }

    private static IEnumerable<(int Channels, int Count)> Runs(List<int> convs)
    {
        for (int i = 0; i < convs.Count;)
        {
            int j = i;
            while (j < convs.Count && convs[j] == convs[i]) j++;
            yield return (convs[i], j - i);
            i = j;
        }
    }
}
