using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Tests.Training;
using SsdSharp.Training;
using SsdSharp.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Inference;

/// <summary>
/// Native memory is freed when its owner fails: a backend or trainer that takes a network and then throws
/// (a GPU that is not there) disposes it, and a host copy frees its intermediate tensors. The effect (freed
/// libtorch memory) is not visible from .NET; what is: the network's tensors are disposed, and the count of live
/// tensors of the thread is where it was.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class NetworkOwnershipTests
{
    // No machine has 64 GPUs: Devices.Resolve refuses it with or without CUDA.
    private static readonly ComputeDevice MissingGpu = ComputeDevice.Cuda(63);

    [Fact]
    public void ABackendThatCannotBeMadeDisposesTheNetworkItWasGiven()
    {
        var network = new SsdNetwork(TinyConfig.Create());
        var weight = network.parameters().First();
        Assert.Throws<SsdInputException>(() => new LibTorchBackend(network, new DetectorOptions { Device = MissingGpu }));
        Assert.True(weight.IsInvalid);
    }

    [Fact]
    public void ATrainerThatCannotBeMadeDisposesItsNetwork()
    {
        var config = TinyConfig.Create();
        var output = Path.Combine(Path.GetTempPath(), $"ssd-ownership-{Guid.NewGuid():N}");
        // Initialisation leaves a few temporary tensors to the finaliser: the same number either way.
        long madeAndDisposed = LiveTensorsAfter(() =>
        {
            using var network = new SsdNetwork(config);
            network.Initialize();
        });
        long failed = LiveTensorsAfter(() =>
            Assert.Throws<SsdInputException>(() => Trainer.Create(config, new TrainingOptions { Iterations = 1 }, output, device: MissingGpu)));
        Assert.Equal(madeAndDisposed, failed);
    }

    [Fact]
    public void AHostCopyLeavesNoTensorBehind()
    {
        using var tensor = arange(12, ScalarType.Float32).reshape(3, 4).t();
        HostTensor? copy = null;
        Assert.Equal(0, LiveTensorsAfter(() => copy = HostTensors.FromTorch(tensor)));
        Assert.Equal([4L, 3L], copy!.Shape);
        Assert.False(tensor.IsInvalid);
    }

    /// <summary>How many more tensors of this thread are alive after <paramref name="action"/> than before.</summary>
    private static long LiveTensorsAfter(Action action)
    {
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        action();
        return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
    }
}
