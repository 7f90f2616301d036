using System.Globalization;

namespace SsdSharp.Inference;

/// <summary>Where a network runs: the CPU, a CUDA GPU by index, or the first GPU when there is one (auto).</summary>
/// <param name="Kind">Auto, CPU or CUDA.</param>
/// <param name="Index">GPU index for CUDA (0 for the first GPU).</param>
public readonly record struct ComputeDevice(ComputeDeviceKind Kind, int Index = 0)
{
    /// <summary>The first CUDA GPU when one is available, else the CPU.</summary>
    public static ComputeDevice Auto { get; } = new(ComputeDeviceKind.Auto);

    /// <summary>The CPU.</summary>
    public static ComputeDevice Cpu { get; } = new(ComputeDeviceKind.Cpu);

    /// <summary>CUDA GPU number <paramref name="index"/>.</summary>
    public static ComputeDevice Cuda(int index = 0) => new(ComputeDeviceKind.Cuda, index);

    /// <summary>Reads <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <exception cref="SsdInputException">Anything else.</exception>
    public static ComputeDevice Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "auto") return Auto;
        if (t == "cpu") return Cpu;
        if (t == "cuda") return Cuda();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(t["cuda:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return Cuda(index);
        throw new SsdInputException($"device: expected auto, cpu, cuda or cuda:N, got '{text}'");
    }

    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda:N</c>.</summary>
    public override string ToString() => Kind switch
    {
        ComputeDeviceKind.Auto => "auto",
        ComputeDeviceKind.Cpu => "cpu",
        _ => $"cuda:{Index}",
    };
}

/// <summary>Kinds of <see cref="ComputeDevice"/>.</summary>
public enum ComputeDeviceKind
{
    /// <summary>The first CUDA GPU when one is available, else the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,
}
