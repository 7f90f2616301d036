using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>Copies between libtorch tensors and <see cref="HostTensor"/>s, keeping the element type.</summary>
public static class HostTensors
{
    /// <summary>A CPU tensor with the values of <paramref name="host"/>.</summary>
    public static Tensor ToTorch(HostTensor host)
    {
        var t = empty(host.Shape, ToScalarType(host.DType));
        if (host.Data.Length > 0) t.bytes = host.Data;
        return t;
    }

    /// <summary>A host copy of <paramref name="tensor"/> (any device, any layout).</summary>
    public static HostTensor FromTorch(Tensor tensor)
    {
        // Each step may make a tensor (a host copy of a GPU tensor, then a contiguous one): all are freed here,
        // not at finalisation.
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        return new HostTensor(ToDType(cpu.dtype), cpu.shape, cpu.bytes.ToArray());
    }

    /// <summary>Host copies of <paramref name="module"/>'s weights as a model file stores them (<see cref="StateDictLoader.Weights"/>).</summary>
    public static Dictionary<string, HostTensor> StateDictOf(nn.Module module) =>
        StateDictLoader.Weights(module).ToDictionary(kv => kv.Key, kv => FromTorch(kv.Value));

    private static ScalarType ToScalarType(TensorDType dtype) => dtype switch
    {
        TensorDType.F64 => ScalarType.Float64,
        TensorDType.F32 => ScalarType.Float32,
        TensorDType.F16 => ScalarType.Float16,
        TensorDType.BF16 => ScalarType.BFloat16,
        TensorDType.I64 => ScalarType.Int64,
        TensorDType.I32 => ScalarType.Int32,
        TensorDType.I16 => ScalarType.Int16,
        TensorDType.I8 => ScalarType.Int8,
        TensorDType.U8 => ScalarType.Byte,
        TensorDType.BOOL => ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    private static TensorDType ToDType(ScalarType type) => type switch
    {
        ScalarType.Float64 => TensorDType.F64,
        ScalarType.Float32 => TensorDType.F32,
        ScalarType.Float16 => TensorDType.F16,
        ScalarType.BFloat16 => TensorDType.BF16,
        ScalarType.Int64 => TensorDType.I64,
        ScalarType.Int32 => TensorDType.I32,
        ScalarType.Int16 => TensorDType.I16,
        ScalarType.Int8 => TensorDType.I8,
        ScalarType.Byte => TensorDType.U8,
        ScalarType.Bool => TensorDType.BOOL,
        _ => throw new ArgumentException($"tensors of type {type} cannot be stored", nameof(type)),
    };
}
