using SsdSharp.Inference;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>The bundled model (copied beside the tests by the CLI project) and samples, loaded once for a test class.</summary>
public sealed class BundledDetector : IDisposable
{
    public static string ModelPath => ModelPathOf("shapes300");

    /// <summary>A bundled model's file: shapes300 or shapes512.</summary>
    public static string ModelPathOf(string name) => Path.Combine(AppContext.BaseDirectory, "models", name + ".safetensors");

    public static string Sample(int n) => Path.Combine(AppContext.BaseDirectory, "samples", $"shapes-{n}.jpg");

    public SsdDetector Detector { get; } = Load("shapes300");

    /// <summary>A bundled model on libtorch on the CPU (the same numbers on every machine the tests run on).</summary>
    public static SsdDetector Load(string name, bool testTimeAugmentation = false) =>
        SsdDetector.Load(ModelPathOf(name),
            new DetectorOptions { Backend = InferenceBackendKind.LibTorch, Device = ComputeDevice.Cpu, TestTimeAugmentation = testTimeAugmentation });

    public void Dispose() => Detector.Dispose();
}
