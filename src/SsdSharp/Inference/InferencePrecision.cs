namespace SsdSharp.Inference;

/// <summary>Floating-point type the network computes in.</summary>
public enum InferencePrecision
{
    /// <summary>As accurate as float32: float32 on every backend. Reduced precision runs only when asked for.</summary>
    Auto,

    /// <summary>32-bit floats, the precision the reference's outputs are checked at.</summary>
    Float32,

    /// <summary>
    /// bfloat16 on libtorch: fast where the CPU has native bf16 (AVX-512 BF16, AMX, Arm BF16), very slow
    /// where libtorch emulates it (<see cref="CpuInfo.BFloat16Warning"/>).
    /// </summary>
    BFloat16,
}
