using static TorchSharp.torch;

namespace SsdSharp.Inference;

/// <summary>Maps <see cref="ComputeDevice"/> to libtorch devices.</summary>
public static class Devices
{
    /// <summary>The libtorch device of <paramref name="device"/>.</summary>
    public static Device ToTorch(ComputeDevice device) =>
        device.Kind == ComputeDeviceKind.Cpu ? CPU : new Device(TorchSharp.DeviceType.CUDA, device.Index);
}
