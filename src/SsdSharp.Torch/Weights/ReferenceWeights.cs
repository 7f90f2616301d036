using SsdSharp.Configuration;
using SsdSharp.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>Imports weights produced by the PyTorch reference (ssd.pytorch).</summary>
public static class ReferenceWeights
{
    /// <summary>
    /// Builds a network for <paramref name="config"/> from an ssd.pytorch checkpoint (float32 or
    /// float16; a <c>module.</c> prefix left by DataParallel is removed).
    /// </summary>
    /// <exception cref="WeightsException">The file does not fit the configuration; names the keys and shapes.</exception>
    public static SsdNetwork LoadSsd(string path, SsdConfig config)
    {
        var stateDict = PyTorchCheckpoint.Load(path);
        try
        {
            var stripped = stateDict.ToDictionary(kv => kv.Key.StartsWith("module.", StringComparison.Ordinal) ? kv.Key["module.".Length..] : kv.Key, kv => kv.Value);
            CheckClassCount(stripped, config, path);
            var network = new SsdNetwork(config);
            StateDictLoader.Load(network, stripped, path);
            return network;
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Loads the ImageNet VGG16 with fc6/fc7 converted to conv6/conv7 (<c>vgg16_reducedfc.pth</c>,
    /// keys <c>0.weight</c> … <c>33.bias</c>) into the base of <paramref name="network"/>. The i-th
    /// convolution of the file goes to the i-th convolution of the base, so a batch-norm base
    /// (whose indices shift) takes the same file.
    /// </summary>
    public static void LoadVggBase(SsdNetwork network, string path)
    {
        var stateDict = PyTorchCheckpoint.Load(path);
        try
        {
            var fileConvs = stateDict.Keys.Where(k => k.EndsWith(".weight", StringComparison.Ordinal))
                .Select(k => int.TryParse(k[..^".weight".Length], out var i) ? i : throw new WeightsException($"{path}: key '{k}' is not a VGG base key (expected '<index>.weight')"))
                .Order().ToList();
            var baseConvs = network.named_modules().Where(m => m.module is Conv2d && m.name.StartsWith("vgg.", StringComparison.Ordinal))
                .Select(m => m.name).ToList();
            if (fileConvs.Count != baseConvs.Count)
                throw new WeightsException($"{path}: has {fileConvs.Count} convolutions, the base of '{network.Config.Name}' has {baseConvs.Count}");
            var renamed = new Dictionary<string, Tensor>();
            var target = network.state_dict();
            for (int i = 0; i < fileConvs.Count; i++)
            {
                foreach (var suffix in new[] { "weight", "bias" })
                {
                    var from = $"{fileConvs[i]}.{suffix}";
                    var to = $"{baseConvs[i]}.{suffix}";
                    if (!stateDict.TryGetValue(from, out var value)) throw new WeightsException($"{path}: missing '{from}'");
                    if (!value.shape.SequenceEqual(target[to].shape))
                        throw new WeightsException($"{path}: '{from}' has shape [{string.Join(", ", value.shape)}], '{to}' needs [{string.Join(", ", target[to].shape)}]");
                    renamed[to] = value;
                }
            }
            using var _ = no_grad();
            foreach (var (key, value) in renamed) target[key].copy_(value.to(target[key].dtype));
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }

    private static void CheckClassCount(Dictionary<string, Tensor> stateDict, SsdConfig config, string path)
    {
        if (!stateDict.TryGetValue("conf.0.weight", out var conf0)) return;
        int perLocation = config.BoxesPerLocation[0];
        long channels = conf0.shape[0];
        if (channels % perLocation == 0 && channels / perLocation != config.NumClasses)
            throw new WeightsException($"{path}: the checkpoint has {channels / perLocation} classes (with background), config '{config.Name}' has {config.NumClasses}; pass a config with {channels / perLocation - 1} class names");
    }
}
