using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>Locates the golden data: small files copied into TestData, the large checkpoint in ../shared.</summary>
internal static class Fixtures
{
    public static string TestData(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static string ReferenceFile(string name) => TestData("ssd-pytorch", name);

    public static string TorchvisionFile(string name) => TestData("torchvision", name);

    /// <summary>The 52 MB ssd.pytorch checkpoint, read from ../shared (not copied into the repository); null when absent.</summary>
    public static string? SharedCheckpoint() => Shared("ssd-pytorch", "ssd300_voc300_seed0_fp16.pth");

    /// <summary>The 52 MB torchvision SSD300 checkpoint (21 classes, float16), read from ../shared; null when absent.</summary>
    public static string? SharedTorchvisionCheckpoint() => Shared("torchvision", "tv_ssd300_vgg16_seed0_fp16.pth");

    private static string? Shared(string folder, string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", folder, name);
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures", folder, name);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    public static Dictionary<string, Tensor> LoadTensors(string name) => LoadTensorsFrom(ReferenceFile(name));

    public static Dictionary<string, Tensor> LoadTensorsFrom(string path) =>
        SafeTensors.Load(path).Tensors.ToDictionary(kv => kv.Key, kv => HostTensors.ToTorch(kv.Value));
}
