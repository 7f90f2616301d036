using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SsdSharp.Configuration;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>
/// torchvision's SSD300 checkpoints (the state dict of <c>ssd300_vgg16</c>, such as the released
/// <c>ssd300_vgg16_coco-b556d3b4.pth</c>; float32 or float16): recognised by their keys, configured as
/// <see cref="SsdPresets.Torchvision300"/> with the class count of their head, and renamed to the parameter
/// names of <see cref="Modeling.SsdNetwork"/>, whose layers are the same ones.
/// </summary>
public static partial class TorchvisionWeights
{
    private const string ClassHead = "head.classification_head.module_list.";
    private const string FirstFeature = "backbone.features.0.weight";

    // Fields whose values the checkpoint alone does not fix; everything else is torchvision's network and conventions.
    private static readonly string[] FreeFields = ["name", "class_names", "recipe", "detection"];

    /// <summary>Whether a state dict with these keys is a torchvision SSD (it has a VGG <c>backbone.features</c> and a classification head).</summary>
    public static bool Recognises(IEnumerable<string> keys)
    {
        var set = keys as IReadOnlySet<string> ?? keys.ToHashSet(StringComparer.Ordinal);
        return set.Contains(FirstFeature) && set.Contains(ClassHead + "0.weight");
    }

    /// <summary>
    /// The configuration of a torchvision checkpoint: <see cref="SsdPresets.Torchvision300"/> (COCO's 90 category
    /// ids) when its head has 91 classes, otherwise with as many classes, named <c>class1</c>….
    /// </summary>
    /// <exception cref="WeightsException">The classification head does not give a whole class count.</exception>
    public static SsdConfig ConfigOf(IReadOnlyDictionary<string, Tensor> stateDict, string path)
    {
        var preset = SsdPresets.Torchvision300;
        var key = ClassHead + "0.weight";
        if (!stateDict.TryGetValue(key, out var head)) throw new WeightsException($"{path}: missing '{key}'");
        long channels = head.shape[0];
        int perLocation = preset.BoxesPerLocation[0];
        if (channels % perLocation != 0 || channels / perLocation < 2)
            throw new WeightsException($"{path}: '{key}' has {channels} outputs, not {perLocation} default boxes × (classes with background ≥ 2)");
        int classes = (int)(channels / perLocation);
        return classes == preset.NumClasses ? preset : preset.WithClassCount(classes - 1);
    }

    /// <summary>The state dict under <see cref="Modeling.SsdNetwork"/>'s names (the tensors are not copied).</summary>
    /// <exception cref="WeightsException">A key is not one of torchvision's SSD300; names it.</exception>
    public static Dictionary<string, Tensor> ToNetworkNames(IReadOnlyDictionary<string, Tensor> stateDict, string path) =>
        stateDict.ToDictionary(
            kv => NetworkName(kv.Key) ?? throw new WeightsException($"{path}: '{kv.Key}' is not a parameter of torchvision's SSD300 (ssd300_vgg16)"),
            kv => kv.Value);

    /// <summary>
    /// Refuses a configuration that would run a torchvision checkpoint with another network, other default
    /// boxes or other preprocessing than torchvision's (for example <c>voc300</c>): only the names, the class
    /// names, the training recipe and the post-processing defaults may differ from <see cref="SsdPresets.Torchvision300"/>.
    /// </summary>
    /// <exception cref="WeightsException">Naming the fields that differ.</exception>
    public static void CheckConventions(SsdConfig config, string path)
    {
        var given = JsonNode.Parse(config.ToJson())!.AsObject();
        var expected = JsonNode.Parse(SsdPresets.Torchvision300.ToJson())!.AsObject();
        var differing = expected.Where(p => !FreeFields.Contains(p.Key) && !JsonNode.DeepEquals(p.Value, given[p.Key]))
            .Select(p => p.Key).ToList();
        if (differing.Count > 0)
            throw new WeightsException($"{path}: a torchvision checkpoint runs with torchvision300's network, default boxes and preprocessing; config '{config.Name}' differs in {string.Join(", ", differing)} (leave the config out, or base it on torchvision300 and change only the class names)");
    }

    // torchvision keeps VGG16's flat indices up to conv4_3 (backbone.features = vgg16.features[:23]) and wraps
    // the rest: extra.0 holds features[23:30] (pool4, conv5_1 … relu5_3), so its entry j is the reference's
    // vgg.{23 + j}, then at index 7 the block pool5, conv6, ReLU, conv7, ReLU, whose entry k is vgg.{30 + k};
    // extra.1 … extra.4 each hold a 1×1 and a 3×3 convolution (entries 0 and 2), the reference's extras in pairs.
    private static string? NetworkName(string key)
    {
        if (key == "backbone.scale_weight") return "L2Norm.weight";
        var m = Features().Match(key);
        if (m.Success) return $"vgg.{m.Groups[1].Value}.{m.Groups[2].Value}";
        m = Conv5().Match(key);
        if (m.Success) return $"vgg.{23 + Number(m, 1)}.{m.Groups[2].Value}";
        m = Fc().Match(key);
        if (m.Success) return $"vgg.{30 + Number(m, 1)}.{m.Groups[2].Value}";
        m = ExtraBlock().Match(key);
        if (m.Success) return $"extras.{2 * (Number(m, 1) - 1) + Number(m, 2) / 2}.{m.Groups[3].Value}";
        m = Head().Match(key);
        if (m.Success) return $"{(m.Groups[1].Value == "classification" ? "conf" : "loc")}.{m.Groups[2].Value}.{m.Groups[3].Value}";
        return null;
    }

    private static int Number(Match m, int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^backbone\.features\.(\d+)\.(weight|bias)$")]
    private static partial Regex Features();

    [GeneratedRegex(@"^backbone\.extra\.0\.([135])\.(weight|bias)$")]
    private static partial Regex Conv5();

    [GeneratedRegex(@"^backbone\.extra\.0\.7\.([13])\.(weight|bias)$")]
    private static partial Regex Fc();

    [GeneratedRegex(@"^backbone\.extra\.([1-9]\d*)\.([02])\.(weight|bias)$")]
    private static partial Regex ExtraBlock();

    [GeneratedRegex(@"^head\.(classification|regression)_head\.module_list\.(\d+)\.(weight|bias)$")]
    private static partial Regex Head();
}
