using SsdSharp.Configuration;
using SsdSharp.Onnx;
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
        if (File.Exists(modelPath) && OnnxExporter.IsOnnxFile(modelPath))
            throw new SsdInputException($"{modelPath}: an ONNX model runs on ONNX Runtime; backend libtorch does not go with it");
        return new LibTorchBackend(NetworkFile.Open(modelPath, config), options);
    }
}
