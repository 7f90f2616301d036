namespace SsdSharp.Inference;

/// <summary>Floating-point type the network computes in.</summary>
public enum InferencePrecision
{
    /// <summary>32-bit floats, the precision the reference's outputs are checked at.</summary>
    Float32,

    /// <summary>bfloat16: fast where the CPU has native bf16 (AVX-512 BF16, AMX), very slow where libtorch emulates it.</summary>
    BFloat16,
}
