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
    /// float16; a <c>module.</c> prefix left by DataParallel is removed); see <see cref="ImportedWeights"/>,
    /// which reads every format.
    /// </summary>
    /// <exception cref="WeightsException">The file does not fit the configuration; names the keys and shapes.</exception>
    public static SsdNetwork LoadSsd(string path, SsdConfig config) => ImportedWeights.LoadNetwork(path, config);

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
            foreach (var (key, value) in renamed) StateDictLoader.CopyConverted(target[key], value);
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }
}
