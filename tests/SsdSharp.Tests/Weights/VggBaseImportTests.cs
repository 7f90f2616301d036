using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Weights;

public class VggBaseImportTests
{
    /// <summary>
    /// A file laid out like vgg16_reducedfc.pth (keys "0.weight" … "33.bias", the indices of the reference's
    /// vgg list), written by PyTorch's pickle format, with random values.
    /// </summary>
    private static (string Path, Dictionary<string, Tensor> Values) ReducedFcFile(SsdConfig config)
    {
        using var source = new SsdNetwork(config with { BatchNorm = false });
        var values = source.state_dict().Where(kv => kv.Key.StartsWith("vgg.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["vgg.".Length..], kv => randn_like(kv.Value));
        var path = Path.Combine(Directory.CreateTempSubdirectory("vgg").FullName, "vgg16_reducedfc.pth");
        PyTorchPickler.PickleStateDict(path, values);
        return (path, values);
    }

    [Fact]
    public void ReducedFcCheckpointFillsTheBaseByIndex()
    {
        var (path, values) = ReducedFcFile(SsdPresets.Voc300);
        Assert.Equal(30, values.Count);
        Assert.Contains("33.bias", values.Keys);
        using var network = new SsdNetwork(SsdPresets.Voc300);
        ReferenceWeights.LoadVggBase(network, path);
        var loaded = network.state_dict();
        foreach (var (key, value) in values)
            Assert.True(loaded[$"vgg.{key}"].allclose(value, rtol: 0, atol: 0), $"vgg.{key} differs from the file's {key}");
    }

    [Fact]
    public void BatchNormBaseTakesTheSameFileConvolutionByConvolution()
    {
        var (path, values) = ReducedFcFile(SsdPresets.Voc300);
        using var network = new SsdNetwork(SsdPresets.Voc300 with { BatchNorm = true });
        ReferenceWeights.LoadVggBase(network, path);
        // With batch norm the 5th convolution (file index 10) sits at vgg.14: conv, bn, relu per layer plus two pools before it.
        Assert.True(network.state_dict()["vgg.14.weight"].allclose(values["10.weight"], rtol: 0, atol: 0));
    }

    [Fact]
    public void BaseOfAnotherNetworkIsRefusedWithBothCounts()
    {
        var (path, _) = ReducedFcFile(SsdPresets.Voc300);
        using var network = new SsdNetwork(SsdPresets.Shapes300);
        var e = Assert.Throws<WeightsException>(() => ReferenceWeights.LoadVggBase(network, path));
        Assert.Matches(@"vgg16_reducedfc\.pth: has 15 convolutions, the base of 'shapes300' has \d+$", e.Message);
    }
}
