using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// Imports ssd.pytorch checkpoints for the core (<see cref="ModelWeights"/> finds this class by name):
/// loaded into a network as <see cref="ReferenceWeights.LoadSsd"/> does, so with the same checks, then copied out as float32.
/// </summary>
public sealed class ReferenceCheckpointImporter : ICheckpointImporter
{
    /// <inheritdoc />
    public Dictionary<string, HostTensor> Import(string path, SsdConfig config)
    {
        using var network = ReferenceWeights.LoadSsd(path, config);
        return HostTensors.StateDictOf(network);
    }
}
