using System.Runtime.InteropServices;

namespace SsdSharp.Weights;

/// <summary>Element types of stored tensors, named as the safetensors format names them.</summary>
public enum TensorDType
{
    /// <summary>64-bit float.</summary>
    F64,

    /// <summary>32-bit float.</summary>
    F32,

    /// <summary>IEEE half precision.</summary>
    F16,

    /// <summary>bfloat16 (the upper half of a float32).</summary>
    BF16,

    /// <summary>64-bit integer.</summary>
    I64,

    /// <summary>32-bit integer.</summary>
    I32,

    /// <summary>16-bit integer.</summary>
    I16,

    /// <summary>8-bit integer.</summary>
    I8,

    /// <summary>8-bit unsigned integer.</summary>
    U8,

    /// <summary>Boolean, one byte.</summary>
    BOOL,
}

/// <summary>
/// A tensor as stored in a weights file, in host memory and independent of any tensor library:
/// element type, shape and the raw little-endian bytes in row-major order.
/// </summary>
public sealed class HostTensor
{
    /// <summary>Wraps stored bytes (not copied).</summary>
    /// <exception cref="ArgumentException">The byte count does not match the shape and type.</exception>
    public HostTensor(TensorDType dtype, long[] shape, byte[] data)
    {
        if (shape.Any(d => d < 0)) throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]", nameof(shape));
        long count = ElementCountOf(shape);
        if (count * SizeOf(dtype) != data.LongLength)
            throw new ArgumentException($"{data.LongLength} bytes do not hold shape [{string.Join(", ", shape)}] of {dtype}", nameof(data));
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>Element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>Raw little-endian elements, row-major.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount => ElementCountOf(Shape);

    /// <summary>A float32 tensor holding <paramref name="values"/> (copied).</summary>
    public static HostTensor FromFloat32(ReadOnlySpan<float> values, params long[] shape) =>
        new(TensorDType.F32, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The elements as float32, converted from any floating-point type.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds integers.</exception>
    public float[] ToFloat32()
    {
        var result = new float[ElementCount];
        switch (DType)
        {
            case TensorDType.F32:
                MemoryMarshal.Cast<byte, float>(Data).CopyTo(result);
                break;
            case TensorDType.F16:
                var halves = MemoryMarshal.Cast<byte, Half>(Data);
                for (int i = 0; i < result.Length; i++) result[i] = (float)halves[i];
                break;
            case TensorDType.BF16:
                var upper = MemoryMarshal.Cast<byte, ushort>(Data);
                for (int i = 0; i < result.Length; i++) result[i] = BitConverter.Int32BitsToSingle(upper[i] << 16);
                break;
            case TensorDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(Data);
                for (int i = 0; i < result.Length; i++) result[i] = (float)doubles[i];
                break;
            default:
                throw new InvalidOperationException($"a {DType} tensor does not convert to float32");
        }
        return result;
    }

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int SizeOf(TensorDType dtype) => dtype switch
    {
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F16 or TensorDType.BF16 or TensorDType.I16 => 2,
        _ => 1,
    };

    /// <summary>The shape as text, <c>[512, 3, 3, 3]</c>.</summary>
    public static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private static long ElementCountOf(long[] shape)
    {
        long count = 1;
        foreach (var d in shape) count = checked(count * d);
        return count;
    }
}
