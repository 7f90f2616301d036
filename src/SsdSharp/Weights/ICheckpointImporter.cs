using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// Reads a foreign checkpoint (a PyTorch <c>.pth</c>) into host tensors with the reference's keys.
/// SsdSharp.Torch provides the importer of ssd.pytorch checkpoints; <see cref="ModelWeights"/> finds it.
/// </summary>
public interface ICheckpointImporter
{
    /// <summary>The state dict of the checkpoint at <paramref name="path"/>, checked against a network of <paramref name="config"/>, as float32.</summary>
    /// <exception cref="WeightsException">The file does not fit the configuration; names the keys.</exception>
    Dictionary<string, HostTensor> Import(string path, SsdConfig config);
}
