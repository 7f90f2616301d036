using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>
/// Switches of libtorch's process-wide <c>at::Context</c> that TorchSharp 0.107 does not expose (Python's
/// <c>torch.backends.mkldnn.enabled</c>, <c>torch.backends.nnpack.set_flags</c>), called through their exported
/// C++ symbols in the loaded <c>libtorch_cpu</c>. Where those are not found (another platform or libtorch build),
/// <see cref="Available"/> is false and libtorch keeps its defaults.
/// </summary>
internal static unsafe class LibTorchContext
{
    private static readonly delegate* unmanaged<IntPtr> GlobalContext;
    private static readonly delegate* unmanaged<IntPtr, byte, void> SetUserEnabledMkldnn;
    private static readonly delegate* unmanaged<IntPtr, byte, void> SetUserEnabledNnpack;

    static LibTorchContext()
    {
        // TorchSharp loads libtorch first; by its file name the loader then returns that same copy.
        _ = get_num_threads();
        if (NativeLibrary.TryLoad("libtorch_cpu.so", out var library)
            && NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var globalContext)
            && NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out var setMkldnn)
            && NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var setNnpack))
        {
            GlobalContext = (delegate* unmanaged<IntPtr>)globalContext;
            SetUserEnabledMkldnn = (delegate* unmanaged<IntPtr, byte, void>)setMkldnn;
            SetUserEnabledNnpack = (delegate* unmanaged<IntPtr, byte, void>)setNnpack;
        }
    }

    /// <summary>Whether the switches were found (the Linux libtorch this was written for).</summary>
    public static bool Available => SetUserEnabledMkldnn != null;

    /// <summary>Lets libtorch use oneDNN (mkldnn) for CPU convolutions, or not.</summary>
    public static void SetMkldnn(bool enabled)
    {
        if (Available) SetUserEnabledMkldnn(GlobalContext(), enabled ? (byte)1 : (byte)0);
    }

    /// <summary>
    /// Turns NNPACK off, once. libtorch falls back to NNPACK only for small CPU convolutions that oneDNN
    /// declines (in SSD: some heads at batch 1), and on CPUs that NNPACK's cpuinfo does not know (AMD Zen 5)
    /// it prints "Could not initialize NNPACK! Reason: Unsupported hardware." for every such convolution,
    /// burying the output of <c>ssd</c>; libtorch's own kernels then run those few convolutions either way.
    /// </summary>
    public static void DisableNnpack()
    {
        if (Available && !_nnpackDisabled)
        {
            SetUserEnabledNnpack(GlobalContext(), 0);
            _nnpackDisabled = true;
        }
    }

    private static bool _nnpackDisabled;
}
