using System.Runtime.InteropServices;

namespace SsdSharp.Inference;

/// <summary>
/// What the CPU can do that matters for choosing how to run a network: its model name and
/// instruction-set features (Linux's <c>/proc/cpuinfo</c> flag names, e.g. <c>avx512_bf16</c>).
/// </summary>
/// <param name="Model">The CPU's model name.</param>
/// <param name="Architecture">x64, Arm64, ….</param>
/// <param name="Features">Feature flags as the kernel names them (<c>avx2</c>, <c>avx512_bf16</c>, <c>amx_bf16</c>; on Arm <c>asimd</c>, <c>bf16</c>).</param>
public sealed record CpuInfo(string Model, Architecture Architecture, IReadOnlySet<string> Features)
{
    // The flags worth printing: vector widths and the reduced-precision instructions libtorch and ONNX Runtime use.
    private static readonly string[] Notable =
    [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
        "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8", "asimd", "asimddp", "sve", "sve2", "bf16", "i8mm",
    ];

    /// <summary>This machine's CPU.</summary>
    public static CpuInfo Current { get; } = Detect();

    /// <summary>Whether the CPU computes bfloat16 natively: AVX-512 BF16 or AMX-BF16 on x86, the BF16 extension on Arm.</summary>
    public bool HasNativeBFloat16 => IsX86
        ? Features.Contains("avx512_bf16") || Features.Contains("amx_bf16")
        : Features.Contains("bf16");

    /// <summary>The features of <see cref="Notable"/> this CPU has, in that order.</summary>
    public IReadOnlyList<string> NotableFeatures => Notable.Where(Features.Contains).ToArray();

    /// <summary>
    /// One line warning that bfloat16 will be slow, for a CPU without native bfloat16 (libtorch then
    /// emulates it: a forward pass measured 130 times slower than float32 on an AVX2 CPU); null where it is native.
    /// </summary>
    public string? BFloat16Warning => HasNativeBFloat16
        ? null
        : $"bfloat16 on a CPU without native bfloat16 ({Model}: no {(IsX86 ? "avx512_bf16 or amx_bf16" : "bf16")}): libtorch emulates it, many times slower than float32";

    private bool IsX86 => Architecture is Architecture.X64 or Architecture.X86;

    /// <summary>Reads the model and flags of the first processor in <c>/proc/cpuinfo</c> text.</summary>
    public static CpuInfo Parse(string cpuinfo, Architecture architecture)
    {
        string? model = null;
        var features = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            // x86 says "model name" and "flags"; Arm says "Features" and may name no model.
            if (model == null && key is "model name" or "Model" or "Hardware" && value.Length > 0) model = value;
            else if (features.Count == 0 && key is "flags" or "Features") features.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return new CpuInfo(model ?? $"unknown {architecture} CPU", architecture, features);
    }

    private static CpuInfo Detect()
    {
        const string procCpuinfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(procCpuinfo)) return Parse(File.ReadAllText(procCpuinfo), RuntimeInformation.ProcessArchitecture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable in a sandbox: fall through to what .NET itself knows.
        }
        var features = new HashSet<string>(StringComparer.Ordinal);
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) features.Add("avx2");
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported) features.Add("fma");
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) features.Add("avx512f");
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) features.Add("asimd");
        return new CpuInfo($"{RuntimeInformation.ProcessArchitecture} CPU", RuntimeInformation.ProcessArchitecture, features);
    }
}
