using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>The fixture checkpoint loaded once for all tests (it takes a second or two), as a detector that keeps every detection like the reference.</summary>
public sealed class ReferenceModel : IDisposable
{
    private readonly Lazy<SsdDetector> _detector = new(() =>
    {
        var path = Fixtures.SharedCheckpoint() ?? throw new InvalidOperationException(
            "../shared/fixtures/ssd-pytorch/ssd300_voc300_seed0_fp16.pth is absent: parity tests need the shared fixtures beside the clone");
        var options = new DetectorOptions { Detection = new DetectionOptions { MaxDetections = null } };
        return new SsdDetector(new LibTorchBackend(ReferenceWeights.LoadSsd(path, SsdPresets.Voc300), options), options);
    });

    public SsdDetector Detector => _detector.Value;

    public SsdNetwork Network => ((LibTorchBackend)Detector.Backend).Network;

    public void Dispose()
    {
        if (_detector.IsValueCreated) _detector.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReferenceModelCollection : ICollectionFixture<ReferenceModel>
{
    public const string Name = "reference model";
}
