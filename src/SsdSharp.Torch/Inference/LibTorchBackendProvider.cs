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
        if (!File.Exists(modelPath)) throw new SsdInputException($"{modelPath}: weights file not found");
        if (OnnxExporter.IsOnnxFile(modelPath))
            throw new SsdInputException($"{modelPath}: an ONNX model runs on ONNX Runtime; backend libtorch does not go with it");
        var network = ModelWeights.IsPyTorchCheckpoint(modelPath)
            ? ReferenceWeights.LoadSsd(modelPath, ModelWeights.CheckpointConfig(modelPath, config))
            : NetworkFile.Load(modelPath, config);
        return new LibTorchBackend(network, options);
    }
}
