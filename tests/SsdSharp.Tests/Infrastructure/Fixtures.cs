using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>Locates the golden data: small files copied into TestData, the large checkpoint in ../shared.</summary>
internal static class Fixtures
{
    public static string TestData(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static string ReferenceFile(string name) => TestData("ssd-pytorch", name);

    /// <summary>The 52 MB reference checkpoint, read from ../shared (not copied into the repository); null when absent.</summary>
    public static string? SharedCheckpoint()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "ssd-pytorch", "ssd300_voc300_seed0_fp16.pth");
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures", "ssd-pytorch", "ssd300_voc300_seed0_fp16.pth");
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    public static Dictionary<string, Tensor> LoadTensors(string name) =>
        SafeTensors.Load(ReferenceFile(name)).Tensors.ToDictionary(kv => kv.Key, kv => HostTensors.ToTorch(kv.Value));
}
