using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Inference;

/// <summary>
/// Runs an <see cref="SsdNetwork"/> on libtorch: eval mode, the requested device, precision and
/// memory layout, <c>inference_mode</c>; one host copy of the outputs per batch, then the shared decoding.
/// </summary>
public sealed class LibTorchBackend : IInferenceBackend
{
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private readonly TensorLayout _layout;
    private readonly DefaultBoxes _defaultBoxes;

    /// <summary>
    /// Takes ownership of <paramref name="network"/> and prepares it as <paramref name="options"/> say; disposes it
    /// when that fails (a device that is not there, out of GPU memory), as the caller no longer owns it.
    /// </summary>
    /// <exception cref="SsdInputException">The device is not available.</exception>
    public LibTorchBackend(SsdNetwork network, DetectorOptions? options = null)
    {
        options ??= new DetectorOptions();
        Network = network;
        try
        {
            _device = Devices.Resolve(options.Device);
            _dtype = options.Precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
            _layout = options.Layout;
            _defaultBoxes = DefaultBoxes.For(network.Config);
            network.eval();
            network.to(_device);
            network.to(_dtype);
            if (_layout == TensorLayout.ChannelsLast) ToChannelsLast(network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        Description = $"libtorch {(_dtype == ScalarType.BFloat16 ? "bfloat16" : "float32")}" +
                      $"{(_layout == TensorLayout.ChannelsLast ? " channels-last" : "")} on {Devices.Describe(_device)}";
    }

    /// <summary>The network (owned by the backend).</summary>
    public SsdNetwork Network { get; }

    /// <inheritdoc />
    public SsdConfig Config => Network.Config;

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public NetworkPredictions Run(float[] input, int count) => Forward(input, count).Decode(_defaultBoxes);

    /// <summary>The raw outputs (offsets and logits) of the network for a preprocessed batch.</summary>
    public RawPredictions Forward(float[] input, int count)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        int size = Config.InputSize;
        var batch = tensor(input, [count, 3, size, size]);
        if (_dtype != ScalarType.Float32 || _device.type != TorchSharp.DeviceType.CPU) batch = batch.to(_dtype, _device);
        if (_layout == TensorLayout.ChannelsLast) batch = ChannelsLast(batch);
        var (loc, conf) = Network.forward(batch);
        return new RawPredictions(count, HostCopy.ToArray<float>(loc.to(ScalarType.Float32)), HostCopy.ToArray<float>(conf.to(ScalarType.Float32)));
    }

    // NCHW sizes with NHWC strides: permuting to NHWC, making that contiguous and permuting back.
    private static Tensor ChannelsLast(Tensor t) => t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private static void ToChannelsLast(SsdNetwork network)
    {
        using var _ = no_grad();
        foreach (var conv in network.modules().OfType<Conv2d>())
        {
            using var weight = ChannelsLast(conv.weight!);
            conv.weight!.set_(weight);
        }
    }

    /// <summary>Disposes the network.</summary>
    public void Dispose() => Network.Dispose();
}
