using SsdSharp.Configuration;

namespace SsdSharp.Inference;

/// <summary>
/// The backends available to <see cref="SsdDetector.Load"/>. ONNX Runtime is built in. The libtorch
/// backend lives in the SsdSharp.Torch assembly, which this core must not reference (so that a
/// detect-only application can ship without libtorch); it is found by name when that assembly is
/// deployed beside the core. Applications may register other providers.
/// </summary>
public static class InferenceBackends
{
    private const string LibTorchProviderType = "SsdSharp.Inference.LibTorchBackendProvider, SsdSharp.Torch";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<InferenceBackendKind, IInferenceBackendProvider> Providers = new()
    {
        [InferenceBackendKind.OnnxRuntime] = new OnnxRuntimeBackendProvider(),
    };

    /// <summary>Makes <paramref name="provider"/> the one used for its <see cref="IInferenceBackendProvider.Kind"/>.</summary>
    public static void Register(IInferenceBackendProvider provider)
    {
        if (provider.Kind == InferenceBackendKind.Auto) throw new ArgumentException("auto is a choice among providers, not a provider", nameof(provider));
        lock (Gate) Providers[provider.Kind] = provider;
    }

    /// <summary>The provider of <paramref name="kind"/>, or null when it is not deployed.</summary>
    public static IInferenceBackendProvider? Find(InferenceBackendKind kind)
    {
        lock (Gate)
        {
            if (Providers.TryGetValue(kind, out var provider)) return provider;
            if (kind == InferenceBackendKind.LibTorch && Type.GetType(LibTorchProviderType, throwOnError: false) is { } type)
            {
                provider = (IInferenceBackendProvider)Activator.CreateInstance(type)!;
                Providers[kind] = provider;
            }
            return provider;
        }
    }

    /// <summary>
    /// Opens <paramref name="modelPath"/> with the backend <paramref name="options"/> ask for; an
    /// <c>.onnx</c> model always runs on ONNX Runtime, and auto picks as <see cref="AutoBackend"/> says.
    /// </summary>
    /// <exception cref="SsdInputException">The backend is not deployed, the options conflict with the file, or the file cannot be used.</exception>
    public static IInferenceBackend Open(string modelPath, SsdConfig? config, DetectorOptions options)
    {
        if (options.Backend == InferenceBackendKind.Auto) return AutoBackend.Open(modelPath, config, options).Backend;
        var provider = Find(options.Backend)
            ?? throw new SsdInputException($"backend {options.Backend}: not available (the libtorch backend needs the SsdSharp.Torch assembly beside SsdSharp)");
        return provider.Open(modelPath, config, options);
    }
}
