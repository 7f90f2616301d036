using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Weights;

public class ReferenceCheckpointTests
{
    [Fact]
    public void StateDictKeysAndShapesEqualTheReferenceCheckpoint()
    {
        var path = Fixtures.SharedCheckpoint();
        Assert.True(path != null, "the shared fixture checkpoint must be beside the clone (../shared/fixtures/ssd-pytorch)");
        var reference = PyTorchCheckpoint.Load(path!);
        using var network = new SsdNetwork(SsdPresets.Voc300);
        var ours = network.state_dict();
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in reference)
            Assert.True(value.shape.SequenceEqual(ours[key].shape), $"{key}: reference [{string.Join(",", value.shape)}], ours [{string.Join(",", ours[key].shape)}]");
        Assert.Equal(TorchSharp.torch.ScalarType.Float16, reference["vgg.0.weight"].dtype);
    }

    [Fact]
    public void ClassCountMismatchIsNamed()
    {
        var path = Fixtures.SharedCheckpoint()!;
        var e = Assert.Throws<WeightsException>(() => ReferenceWeights.LoadSsd(path, SsdPresets.Coco300));
        Assert.Contains("21 classes", e.Message);
        Assert.Contains("81", e.Message);
    }

    [Fact]
    public void NotACheckpointIsReportedWithItsPath()
    {
        var path = Fixtures.ReferenceFile("image_11.png");
        var e = Assert.Throws<WeightsException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("image_11.png", e.Message);
    }
}
