using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// Imports PyTorch checkpoints — ssd.pytorch's and torchvision's SSD300 — for the core (<see cref="ModelWeights"/>
/// finds this class by name): loaded into a network as <see cref="ImportedWeights.LoadNetwork"/> does, so with
/// the same checks, then copied out as float32.
/// </summary>
public sealed class PyTorchCheckpointImporter : ICheckpointImporter
{
    /// <inheritdoc />
    public (SsdConfig Config, Dictionary<string, HostTensor> StateDict) Import(string path, SsdConfig? config)
    {
        using var network = ImportedWeights.LoadNetwork(path, config);
        return (network.Config, HostTensors.StateDictOf(network));
    }
}
