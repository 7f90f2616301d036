using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>The fixture checkpoint loaded once for all tests (it takes a second or two).</summary>
public sealed class ReferenceModel : IDisposable
{
    private readonly Lazy<SsdNetwork> _network = new(() =>
    {
        var path = Fixtures.SharedCheckpoint() ?? throw new InvalidOperationException(
            "../shared/fixtures/ssd-pytorch/ssd300_voc300_seed0_fp16.pth is absent: parity tests need the shared fixtures beside the clone");
        var network = ReferenceWeights.LoadSsd(path, SsdPresets.Voc300);
        network.eval();
        return network;
    });

    public SsdNetwork Network => _network.Value;

    public void Dispose()
    {
        if (_network.IsValueCreated) _network.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReferenceModelCollection : ICollectionFixture<ReferenceModel>
{
    public const string Name = "reference model";
}
