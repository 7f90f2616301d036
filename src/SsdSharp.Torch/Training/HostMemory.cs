using System.Runtime.InteropServices;

namespace SsdSharp.Training;

/// <summary>
/// The C allocator's settings for training on the CPU. A training step allocates and frees activations and
/// gradients of tens to hundreds of megabytes; glibc serves each one from a fresh <c>mmap</c> and unmaps it
/// when freed, so every step pays again for the page faults that zero that memory. On the 2-core VM of
/// docs/benchmarks.md that made a shapes300 step at batch 32 take 10–14 s instead of about 4 s. Kept in the
/// heap, freed memory is reused by the next step; the price is that the peak stays resident.
/// </summary>
public static class HostMemory
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;

    /// <summary>
    /// On Linux with glibc: serves allocations of up to 1 GB from the heap and never trims freed memory back to the
    /// system, for the rest of the process. Elsewhere (other systems, other C libraries) it does nothing. Call it
    /// once, before training on the CPU; <c>ssd train</c> does.
    /// </summary>
    /// <returns>Whether the settings took.</returns>
    public static bool KeepFreedMemoryForReuse()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // A trim threshold of −1 is glibc's "never trim" (the value is stored as size_t). The largest positive int, 2 GB,
            // is not enough: a step of shapes512 at batch 32 frees more than 2 GB at the top of the heap, which was
            // then returned to the system and faulted in again at every step.
            return (mallopt(MmapThreshold, 1 << 30) & mallopt(TrimThreshold, -1) & mallopt(TopPad, 64 << 20)) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
