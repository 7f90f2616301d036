using SsdSharp.Configuration;

namespace SsdSharp.Weights;

/// <summary>
/// Reads a foreign checkpoint (a PyTorch <c>.pth</c>) into host tensors with the reference's keys.
/// SsdSharp.Torch provides the importer of ssd.pytorch and torchvision checkpoints; <see cref="ModelWeights"/> finds it.
/// </summary>
public interface ICheckpointImporter
{
    /// <summary>
    /// The configuration and state dict (as float32) of the checkpoint at <paramref name="path"/>, checked
    /// against a network of that configuration: <paramref name="config"/> when given, else the one the
    /// checkpoint implies (a torchvision checkpoint's).
    /// </summary>
    /// <exception cref="WeightsException">The file does not fit the configuration, or needs one it was not given (ssd.pytorch); names the keys.</exception>
    (SsdConfig Config, Dictionary<string, HostTensor> StateDict) Import(string path, SsdConfig? config);
}
