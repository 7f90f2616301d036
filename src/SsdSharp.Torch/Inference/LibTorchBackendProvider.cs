using SsdSharp.Configuration;
using SsdSharp.Onnx;
using SsdSharp.Weights;

namespace SsdSharp.Inference;

/// <summary>
/// Opens SsdSharp model files, ssd.pytorch <c>.pth</c> checkpoints (which need a configuration) and
/// torchvision SSD300 checkpoints (which imply theirs) on libtorch (<see cref="ImportedWeights"/>).
/// <see cref="InferenceBackends"/> finds it by name.
/// </summary>
public sealed class LibTorchBackendProvider : IInferenceBackendProvider
{
    /// <inheritdoc />
    public InferenceBackendKind Kind => InferenceBackendKind.LibTorch;

    /// <inheritdoc />
    public IInferenceBackend Open(string modelPath, SsdConfig? config, DetectorOptions options)
    {
        if (File.Exists(modelPath) && OnnxExporter.IsOnnxFile(modelPath))
            throw new SsdInputException($"{modelPath}: an ONNX model runs on ONNX Runtime; backend libtorch does not go with it");
        return new LibTorchBackend(ImportedWeights.LoadNetwork(modelPath, config), options);
    }
}
