using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Weights;

public class TorchvisionWeightsTests
{
    private static readonly string Checkpoint = Fixtures.SharedTorchvisionCheckpoint()
        ?? throw new InvalidOperationException("../shared/fixtures/torchvision/tv_ssd300_vgg16_seed0_fp16.pth is absent");

    [Fact]
    public void CheckpointIsRecognisedByItsKeysAndConfiguredFromItsHead()
    {
        using var weights = ImportedWeights.Read(Checkpoint);
        Assert.Equal(WeightsFormat.Torchvision, weights.Format);
        Assert.Equal("torchvision300", weights.Config!.Name);
        Assert.Equal(21, weights.Config.NumClasses);
        Assert.Equal("class20", weights.Config.ClassNames[^1]);
        Assert.Equal(ScalarType.Float16, weights.StateDict["vgg.0.weight"].dtype);
    }

    [Fact]
    public void EveryKeyMapsOntoTheNetworksParameters()
    {
        using var weights = ImportedWeights.Read(Checkpoint);
        using var network = new SsdNetwork(weights.Config!);
        var ours = network.state_dict();
        Assert.Equal(ours.Keys.Order(StringComparer.Ordinal), weights.StateDict.Keys.Order(StringComparer.Ordinal));
        var raw = PyTorchCheckpoint.Load(Checkpoint);
        // The wrapped conv5/fc blocks and the extras land where the reference keeps them.
        Assert.True(raw["backbone.extra.0.5.weight"].allclose(weights.StateDict["vgg.28.weight"], rtol: 0, atol: 0), "backbone.extra.0.5.weight");
        Assert.True(raw["backbone.extra.0.7.3.weight"].allclose(weights.StateDict["vgg.33.weight"], rtol: 0, atol: 0), "backbone.extra.0.7.3.weight");
        Assert.True(raw["backbone.extra.4.2.bias"].allclose(weights.StateDict["extras.7.bias"], rtol: 0, atol: 0), "backbone.extra.4.2.bias");
        Assert.True(raw["backbone.scale_weight"].allclose(weights.StateDict["L2Norm.weight"], rtol: 0, atol: 0), "backbone.scale_weight");
        Assert.True(raw["head.regression_head.module_list.5.weight"].allclose(weights.StateDict["loc.5.weight"], rtol: 0, atol: 0), "head.regression_head.module_list.5.weight");
        foreach (var t in raw.Values) t.Dispose();
    }

    [Fact]
    public void ConfigurationOfAnotherNetworkOrPreprocessingIsRefused()
    {
        var e = Assert.Throws<WeightsException>(() => ImportedWeights.LoadNetwork(Checkpoint, SsdPresets.Voc300.WithClassCount(20)));
        Assert.Contains("torchvision300", e.Message);
        Assert.Contains("min_sizes", e.Message);
        Assert.Contains("pixel_means", e.Message);
    }

    [Fact]
    public void ClassNamesMayBeGivenWithTorchvisionsConventions()
    {
        var named = SsdPresets.Torchvision300 with { ClassNames = SsdPresets.VocClasses };
        using var network = ImportedWeights.LoadNetwork(Checkpoint, named);
        Assert.Equal("tvmonitor", network.Config.LabelOf(20));
        var e = Assert.Throws<WeightsException>(() => ImportedWeights.LoadNetwork(Checkpoint, SsdPresets.Torchvision300));
        Assert.Contains("21 classes", e.Message);
    }

    [Fact]
    public void SsdPytorchCheckpointStillNeedsItsConfiguration()
    {
        var e = Assert.Throws<WeightsException>(() => ImportedWeights.LoadNetwork(Fixtures.SharedCheckpoint()!));
        Assert.Contains("needs a configuration", e.Message);
    }

    [Fact]
    public void VggBaseIsNamedAsSuch()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vgg-{Guid.NewGuid():N}.pth");
        try
        {
            using (var conv = zeros(4, 3, 3, 3))
            using (var bias = zeros(4))
                TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(path, new Dictionary<string, Tensor> { ["0.weight"] = conv, ["0.bias"] = bias });
            var e = Assert.Throws<WeightsException>(() => ImportedWeights.Read(path));
            Assert.Contains("VGG base", e.Message);
            Assert.Contains("--base", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
