using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Inference;

/// <summary>
/// Maps <see cref="ComputeDevice"/> to libtorch devices, finding out once whether CUDA can be used:
/// libtorch's CUDA libraries load only when a CUDA build of libtorch is installed (docs/gpu.md).
/// </summary>
public static class Devices
{
    private static readonly Lazy<int> GpuCount = new(() => TryInitializeDeviceType(DeviceType.CUDA) && cuda.is_available() ? cuda.device_count() : 0);

    /// <summary>Number of CUDA GPUs libtorch can use here (0 with the CPU libtorch or without a GPU).</summary>
    public static int CudaDeviceCount => GpuCount.Value;

    /// <summary>Whether <paramref name="device"/> is the CPU here: cpu, or auto where no GPU is usable.</summary>
    public static bool RunsOnCpu(ComputeDevice device) =>
        device.Kind == ComputeDeviceKind.Cpu || (device.Kind == ComputeDeviceKind.Auto && CudaDeviceCount == 0);

    /// <summary>The libtorch device of <paramref name="device"/>; auto is the first GPU when there is one.</summary>
    /// <exception cref="SsdInputException">A GPU is asked for and none (or not that one) is available; the message says what to install.</exception>
    public static Device Resolve(ComputeDevice device)
    {
        if (RunsOnCpu(device)) return CPU;
        if (device.Kind == ComputeDeviceKind.Auto) return new Device(DeviceType.CUDA, 0);
        if (CudaDeviceCount == 0)
            throw new SsdInputException($"device {device}: CUDA is not available here (no NVIDIA GPU, or the CPU-only libtorch of TorchSharp-cpu); " +
                                        "reference TorchSharp-cuda-linux instead, or run with LD_LIBRARY_PATH at a CUDA libtorch such as PyTorch's torch/lib (docs/gpu.md)");
        if (device.Index < 0 || device.Index >= CudaDeviceCount)
            throw new SsdInputException($"device {device}: there {(CudaDeviceCount == 1 ? "is 1 GPU (cuda:0)" : $"are {CudaDeviceCount} GPUs (cuda:0 to cuda:{CudaDeviceCount - 1})")}");
        return new Device(DeviceType.CUDA, device.Index);
    }

    /// <summary>The plain description of a libtorch device: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public static ComputeDevice Describe(Device device) =>
        device.type == DeviceType.CUDA ? ComputeDevice.Cuda(Math.Max(0, device.index)) : ComputeDevice.Cpu;
}
