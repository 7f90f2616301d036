using CpuArchitecture = System.Runtime.InteropServices.Architecture;
using SsdSharp.Inference;

namespace SsdSharp.Tests.Inference;

public class CpuInfoTests
{
    private const string Zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R45\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512vl avx512_vnni avx512_bf16\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 9R45\nflags\t\t: fpu\n";
    private const string Zen3 = "processor\t: 0\nmodel name\t: AMD EPYC 7R13 Processor\nflags\t\t: fpu sse4_2 avx avx2 fma\n";
    private const string Graviton3 = "processor\t: 0\nBogoMIPS\t: 2100.00\nFeatures\t: fp asimd evtstrm aes sha1 sve bf16 i8mm\nCPU implementer\t: 0x41\n";

    [Fact]
    public void AvxBf16MeansNativeBFloat16AndNoWarning()
    {
        var cpu = CpuInfo.Parse(Zen5, CpuArchitecture.X64);
        Assert.Equal("AMD EPYC 9R45", cpu.Model);
        Assert.True(cpu.HasNativeBFloat16);
        Assert.Null(cpu.BFloat16Warning);
        Assert.Equal(["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16"], cpu.NotableFeatures);
    }

    [Fact]
    public void Avx2OnlyCpuGetsTheOneLineWarning()
    {
        var cpu = CpuInfo.Parse(Zen3, CpuArchitecture.X64);
        Assert.False(cpu.HasNativeBFloat16);
        Assert.Equal("bfloat16 on a CPU without native bfloat16 (AMD EPYC 7R13 Processor: no avx512_bf16 or amx_bf16): libtorch emulates it, many times slower than float32",
            cpu.BFloat16Warning);
    }

    [Fact]
    public void ArmReadsFeaturesAndBf16()
    {
        var cpu = CpuInfo.Parse(Graviton3, CpuArchitecture.Arm64);
        Assert.True(cpu.HasNativeBFloat16);
        Assert.Contains("sve", cpu.NotableFeatures);
        Assert.Equal("unknown Arm64 CPU", cpu.Model);
        Assert.False(CpuInfo.Parse(Graviton3.Replace(" bf16", ""), CpuArchitecture.Arm64).HasNativeBFloat16);
    }

    [Fact]
    public void AmxBf16CountsAsNative() =>
        Assert.True(CpuInfo.Parse("model name\t: Intel Xeon\nflags\t\t: avx2 amx_tile amx_bf16\n", CpuArchitecture.X64).HasNativeBFloat16);
}
