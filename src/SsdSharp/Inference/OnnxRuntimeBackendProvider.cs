using SsdSharp.Configuration;
using SsdSharp.IO;
using SsdSharp.Onnx;
using SsdSharp.Weights;

namespace SsdSharp.Inference;

/// <summary>
/// Opens models on ONNX Runtime: <c>.onnx</c> files as they are, and SsdSharp model files or <c>.pth</c>
/// checkpoints (which need SsdSharp.Torch to import) exported on the fly with <see cref="OnnxExporter"/>,
/// the export kept in the cache folder for the next load. Built into <see cref="InferenceBackends"/>.
/// </summary>
public sealed class OnnxRuntimeBackendProvider : IInferenceBackendProvider
{
    /// <inheritdoc />
    public InferenceBackendKind Kind => InferenceBackendKind.OnnxRuntime;

    /// <inheritdoc />
    public IInferenceBackend Open(string modelPath, SsdConfig? config, DetectorOptions options)
    {
        (options with { Backend = Kind }).Validate();
        if (!File.Exists(modelPath)) throw new SsdInputException($"{modelPath}: weights file not found");
        if (OnnxExporter.IsOnnxFile(modelPath)) return OnnxRuntimeBackend.Open(modelPath, config);

        var hash = ModelWeights.Hash(modelPath, config);
        var cache = new OnnxExportCache(options.CacheDirectory ?? UserCache.Directory);
        if (cache.Find(hash) is { } cached)
        {
            try
            {
                return OnnxRuntimeBackend.Open(cached);
            }
            catch (SsdInputException)
            {
                // A cached export this version cannot use (e.g. damaged on disk): export again below.
            }
        }
        var (resolved, stateDict) = ModelWeights.Load(modelPath, config);
        var model = OnnxExporter.Export(resolved, stateDict, source: modelPath);
        cache.Store(hash, model);
        return OnnxRuntimeBackend.FromModel(model, resolved, modelPath);
    }
}
