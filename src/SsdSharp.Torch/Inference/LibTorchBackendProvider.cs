using SsdSharp.Configuration;
using SsdSharp.Weights;

namespace SsdSharp.Inference;

/// <summary>
/// Opens SsdSharp model files and ssd.pytorch <c>.pth</c> checkpoints (which need a configuration)
/// on libtorch. <see cref="InferenceBackends"/> finds it by name.
/// </summary>
public sealed class LibTorchBackendProvider : IInferenceBackendProvider
{
    /// <inheritdoc />
    public InferenceBackendKind Kind => InferenceBackendKind.LibTorch;

    /// <inheritdoc />
    public IInferenceBackend Open(string modelPath, SsdConfig? config, DetectorOptions options)
    {
        if (!File.Exists(modelPath)) throw new SsdInputException($"{modelPath}: weights file not found");
        var network = Path.GetExtension(modelPath).Equals(".pth", StringComparison.OrdinalIgnoreCase)
            ? ReferenceWeights.LoadSsd(modelPath, config ?? throw new SsdInputException(
                $"{modelPath}: a PyTorch checkpoint needs a configuration (--config voc300, coco300, … or a JSON file)"))
            : NetworkFile.Load(modelPath, config);
        return new LibTorchBackend(network, options);
    }
}
