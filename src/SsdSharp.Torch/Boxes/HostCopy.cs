using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>
/// Copies tensors to managed arrays in one block copy. TorchSharp's <c>data&lt;T&gt;().ToArray()</c>
/// walks the tensor element by element through an accessor, which costs milliseconds for the
/// hundreds of thousands of elements of an NMS overlap mask.
/// </summary>
internal static class HostCopy
{
    /// <summary>The elements of <paramref name="tensor"/> in row-major order.</summary>
    public static T[] ToArray<T>(Tensor tensor) where T : unmanaged
    {
        using var cpu = tensor.cpu().contiguous();
        return MemoryMarshal.Cast<byte, T>(cpu.bytes).ToArray();
    }
}
