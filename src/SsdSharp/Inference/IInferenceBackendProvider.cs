using SsdSharp.Configuration;

namespace SsdSharp.Inference;

/// <summary>Opens model files with one kind of backend; see <see cref="InferenceBackends"/>.</summary>
public interface IInferenceBackendProvider
{
    /// <summary>The backend this provider makes.</summary>
    InferenceBackendKind Kind { get; }

    /// <summary>A backend running the model in <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">A model file the provider understands.</param>
    /// <param name="config">Overrides or supplies the configuration (e.g. for a checkpoint that embeds none).</param>
    /// <param name="options">Device, precision, layout.</param>
    /// <exception cref="SsdInputException">The file cannot be used; the message names it.</exception>
    IInferenceBackend Open(string modelPath, SsdConfig? config, DetectorOptions options);
}
