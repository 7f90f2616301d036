using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>
/// Right convolutions on CPUs where libtorch's oneDNN (mkldnn) computes some of them wrongly, forward or backward.
/// </summary>
/// <remarks>
/// <para>Why: on an AMD EPYC of family 26 (Zen 5), libtorch 2.10's oneDNN 3.7.1 gets some convolutions wrong, not
/// always the same way (errors of 3–100 % of the largest value, or NaN). Measured there against float64 (which
/// oneDNN does not compute) for 1 to 1,024 input and 4 to 256 output channels, kernels 1×1 and 3×3:</para>
/// <list type="bullet">
/// <item>the input gradient of a 3×3 convolution of stride 1 (any padding or dilation) whose output channels are
/// not a multiple of 16 (<c>jit:avx512_core</c> and <c>jit:avx2</c> backward_data): every one with 4, 6, 8, 12,
/// 20, 24, 36, 84 or 126 outputs, for example the heads of a small model or the 84-channel <c>conf.0</c> of SSD300
/// on VOC; none with 16, 32, 48, 64, 96 or 128;</item>
/// <item>the input gradient of a 3×3 convolution of stride 2 with 48 input channels on a 19 × 19 map, whatever its
/// outputs (16, 32 and 64 to 512 inputs are right);</item>
/// <item>the output of a 3×3 convolution (stride 1 or 2) with more than 16 input channels that are not a multiple
/// of 16 (17, 20, 24, 28, 31, 33, 40, 56, …, 1,000), in inference too. None with 16 or fewer (the images' 3
/// channels) or with a multiple of 16; the presets' networks have only those, so this concerns custom
/// configurations.</item>
/// </list>
/// <para>Weight gradients and 1×1 convolutions were right throughout. The remedies (<see cref="OneDnnRemedies"/>)
/// append zero channels so that oneDNN computes a convolution of a shape it gets right: zero input channels (and
/// zero weights for them) for the forward fault, and, only while gradients are recorded, zero filters whose outputs
/// are cut off again for the backward one. Zeros add nothing to any output, and discarded outputs receive no
/// gradient, so the results are the convolution's; the cost is the extra channels (84 → 96 filters in voc300's
/// <c>conf.0</c>). Only the network's own convolutions can take them (<see cref="SsdNetwork"/>). Shapes that fail
/// otherwise (the stride-2 one above) are caught by <see cref="SsdNetwork.Backward"/>, which compares its first
/// backward pass with libtorch's own convolutions and runs without oneDNN where they disagree.
/// <see cref="Backward"/> serves any other network by running the whole backward pass without oneDNN, which made a
/// voc300 training step 2.6 times as slow on the machine above.</para>
/// <para>Whether a CPU is affected is measured, not guessed from its model: the first use compares a few
/// convolutions of the failing shapes, plain and padded, with float64 ones, tens of milliseconds once per process.
/// The environment variable <see cref="EnvironmentVariable"/> overrides it: <c>1</c> keeps oneDNN's results
/// everywhere, <c>0</c> always computes gradients without oneDNN (what earlier versions did on affected CPUs).</para>
/// <para>Turning oneDNN off uses libtorch's process-wide <c>at::globalContext().setUserEnabledMkldnn</c> (Python's
/// <c>torch.backends.mkldnn.enabled</c>), which TorchSharp 0.107 does not expose; while such a backward pass runs,
/// convolutions on other threads run without oneDNN too (slower, still right).</para>
/// </remarks>
public static class OneDnnConvolutions
{
    /// <summary>The environment variable that overrides the measurement: <c>1</c> keeps oneDNN, <c>0</c> avoids it in backward passes.</summary>
    public const string EnvironmentVariable = "SSD_ONEDNN";

    /// <summary>The channel counts oneDNN gets right are multiples of this: its AVX-512 vector width in floats (twice AVX2's).</summary>
    public const int ChannelMultiple = 16;

    // Two decisions, so that inference measures only what it uses.
    private static readonly Lazy<OneDnnRemedies> ForwardDecision = new(DecideForward);
    private static readonly Lazy<OneDnnRemedies> BackwardDecision = new(DecideBackward);
    // Backward passes without oneDNN share it (the switch is process-wide); measuring oneDNN needs it alone, or a
    // "oneDNN" result could come from libtorch's own convolutions while another thread has oneDNN off.
    private static readonly ReaderWriterLockSlim OneDnnSwitch = new();
    private static readonly object Count = new();
    private static int _runningBackwards;

    /// <summary>What is done on this machine for right convolutions (decided once per process).</summary>
    /// <exception cref="SsdInputException"><see cref="EnvironmentVariable"/> is set to something other than 0 or 1.</exception>
    public static OneDnnRemedies Remedies => ForwardDecision.Value | BackwardDecision.Value;

    /// <summary>
    /// Computes the gradients of <paramref name="loss"/> (<c>loss.backward()</c>) of any network, without oneDNN
    /// where its gradients are wrong. <see cref="SsdNetwork.Backward"/> is faster for that network.
    /// </summary>
    /// <param name="loss">A scalar loss of a network in training mode.</param>
    public static void Backward(Tensor loss)
    {
        if (BackwardDecision.Value == OneDnnRemedies.None) loss.backward();
        else BackwardWithoutOneDnn(loss);
    }

    /// <summary>Whether a network's first backward pass is compared with libtorch's own convolutions: unless <see cref="EnvironmentVariable"/> decides.</summary>
    internal static bool ComparesFirstBackward => KeepOneDnnSetting() is null;

    /// <summary>What is done for right gradients on this machine: <see cref="Remedies"/> without the forward pass's.</summary>
    internal static OneDnnRemedies BackwardRemedies => BackwardDecision.Value;

    /// <summary><c>loss.backward()</c> with libtorch's own convolutions.</summary>
    internal static void BackwardWithoutOneDnn(Tensor loss)
    {
        OneDnnSwitch.EnterReadLock();
        try
        {
            // Counted, so that of two overlapping backward passes the first to finish does not turn oneDNN back on under the other.
            lock (Count)
            {
                if (_runningBackwards++ == 0) LibTorchContext.SetMkldnn(false);
            }
            try
            {
                loss.backward();
            }
            finally
            {
                lock (Count)
                {
                    if (--_runningBackwards == 0) LibTorchContext.SetMkldnn(true);
                }
            }
        }
        finally
        {
            OneDnnSwitch.ExitReadLock();
        }
    }

    /// <summary>Runs <paramref name="measure"/> while no backward pass has oneDNN off.</summary>
    private static T WithOneDnnOn<T>(Func<T> measure)
    {
        OneDnnSwitch.EnterWriteLock();
        try
        {
            return measure();
        }
        finally
        {
            OneDnnSwitch.ExitWriteLock();
        }
    }

    /// <summary>
    /// Runs the backward pass of <paramref name="loss"/> twice, with oneDNN and without it, and says whether the
    /// gradients of <paramref name="parameters"/> agree, except those named in <paramref name="zeroGradient"/>. The
    /// gradients then hold those of the run that agreed with libtorch's own convolutions (the oneDNN run when both
    /// agree) added to what they held before.
    /// </summary>
    /// <param name="loss">A scalar loss of a network in training mode.</param>
    /// <param name="parameters">The network's parameters, named.</param>
    /// <param name="zeroGradient">Parameters whose true gradient is zero, so their computed one is rounding noise
    /// (the biases of convolutions followed by batch norm: oneDNN's float32 sums leave up to about 4e-4 of the
    /// network's largest gradient there, libtorch's far less).</param>
    /// <remarks>
    /// Why: the shapes that <see cref="Remedies"/> measures are those known to fail; a network may have others that fail
    /// too (on the Zen 5 above, a stride-2 convolution of 48 input channels on a 19 × 19 map, whatever its outputs).
    /// Its own gradients on a real batch are the test that covers them. Agreement: every compared parameter's
    /// gradients within a hundredth of their largest magnitude (or of a hundredth of the network's largest gradient),
    /// and finite. The faults are errors of 3 % and more; where oneDNN is right, its float32 sums and libtorch's differ
    /// by about 0.1 % (shapes300's first convolution at batch 32, whose weight gradient sums 2.9 million products).
    /// </remarks>
    internal static bool BackwardAgreesWithoutOneDnn(Tensor loss, IReadOnlyList<(string Name, Parameter Parameter)> parameters,
        IReadOnlySet<string> zeroGradient)
    {
        using var scope = NewDisposeScope();
        var before = parameters.Select(p => p.Parameter.grad?.detach().clone()).ToArray();
        foreach (var (_, p) in parameters) p.grad?.zero_();
        WithOneDnnOn(() =>
        {
            loss.backward(retain_graph: true);
            return true;
        });
        var withOneDnn = parameters.Select(p => p.Parameter.grad?.detach().clone()).ToArray();
        foreach (var (_, p) in parameters) p.grad?.zero_();
        BackwardWithoutOneDnn(loss);
        bool agree = GradientsAgree(withOneDnn, [.. parameters.Select(p => zeroGradient.Contains(p.Name) ? null : p.Parameter.grad)]);
        using (no_grad())
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Parameter.grad is not { } grad) continue;
                if (agree) grad.copy_(withOneDnn[i]!);
                if (before[i] is { } earlier) grad.add_(earlier);
            }
        }
        return agree;
    }

    /// <summary>
    /// Whether every gradient of <paramref name="withOneDnn"/> is finite and within a hundredth of the largest magnitude
    /// of its counterpart in <paramref name="without"/> (or of a hundredth of the largest of them all); a null in
    /// <paramref name="without"/> is not compared.
    /// </summary>
    internal static bool GradientsAgree(IReadOnlyList<Tensor?> withOneDnn, IReadOnlyList<Tensor?> without)
    {
        double largest = without.Max(g => g is null ? 0 : Magnitude(g));
        for (int i = 0; i < without.Count; i++)
        {
            if (without[i] is not { } expected) continue;
            double scale = Math.Max(Magnitude(expected), 1e-2 * largest);
            if (!(Magnitude(withOneDnn[i]! - expected) <= 1e-2 * scale)) return false;
        }
        return true;
    }

    private static double Magnitude(Tensor t) => t.abs().max().to(float64).item<double>();

    /// <summary>
    /// <paramref name="conv"/> applied to <paramref name="input"/>, with the zero channels that <see cref="Remedies"/> asks
    /// for. Only float32 on the CPU (what was measured; float64 does not run on oneDNN), kernels larger than 1×1 (1×1
    /// ones were right), groups 1 and zero padding (all of <see cref="SsdNetwork"/>'s).
    /// </summary>
    internal static Tensor Convolve(Conv2d conv, Tensor input)
    {
        if (input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32 || conv.padding is null
            || conv.groups != 1 || conv.padding_mode != PaddingModes.Zeros || !conv.kernel_size.Any(k => k > 1))
            return conv.call(input);
        var remedies = ForwardDecision.Value | (is_grad_enabled() ? BackwardDecision.Value : OneDnnRemedies.None);
        return Convolve(conv, input, remedies);
    }

    /// <summary><see cref="Convolve(Conv2d, Tensor)"/> with the remedies given rather than measured (for tests on any CPU).</summary>
    internal static Tensor Convolve(Conv2d conv, Tensor input, OneDnnRemedies remedies)
    {
        long extraInputs = conv.in_channels > ChannelMultiple && remedies.HasFlag(OneDnnRemedies.PadInputChannels)
            ? MissingChannels(conv.in_channels) : 0;
        long extraOutputs = is_grad_enabled() && remedies.HasFlag(OneDnnRemedies.PadOutputChannels)
            ? MissingChannels(conv.out_channels) : 0;
        return extraInputs == 0 && extraOutputs == 0
            ? conv.call(input)
            : PaddedConvolution(input, conv.weight!, conv.bias, conv.stride, conv.padding!, conv.dilation, extraInputs, extraOutputs);
    }

    /// <summary>How many channels <paramref name="channels"/> lacks to a multiple of <see cref="ChannelMultiple"/>.</summary>
    internal static long MissingChannels(long channels) => (ChannelMultiple - channels % ChannelMultiple) % ChannelMultiple;

    /// <summary>A convolution (groups 1) with zero input channels and zero filters appended, the outputs of the filters cut off.</summary>
    internal static Tensor PaddedConvolution(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation,
        long extraInputs, long extraOutputs)
    {
        using var scope = NewDisposeScope();
        long outputs = weight.shape[0], inputs = weight.shape[1], kernelHeight = weight.shape[2], kernelWidth = weight.shape[3];
        if (extraInputs > 0)
        {
            input = cat([input, zeros([input.shape[0], extraInputs, input.shape[2], input.shape[3]], input.dtype, input.device)], 1);
            weight = cat([weight, zeros([outputs, extraInputs, kernelHeight, kernelWidth], weight.dtype, weight.device)], 1);
        }
        if (extraOutputs > 0)
        {
            weight = cat([weight, zeros([extraOutputs, inputs + extraInputs, kernelHeight, kernelWidth], weight.dtype, weight.device)]);
            if (bias is not null) bias = cat([bias, zeros(extraOutputs, bias.dtype, bias.device)]);
        }
        var output = nn.functional.conv2d(input, weight, bias, stride, padding, dilation);
        // Contiguous, as the convolution's own output is: the layers after it then run the kernels they would without padding.
        if (extraOutputs > 0) output = output.narrow(1, 0, outputs).contiguous();
        return output.MoveToOuterDisposeScope();
    }

    /// <summary><see cref="EnvironmentVariable"/>: true for 1 (keep oneDNN), false for 0 (avoid it backward), null when unset.</summary>
    private static bool? KeepOneDnnSetting()
    {
        var setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return setting switch
        {
            "1" => true,
            "0" => false,
            null or "" => null,
            _ => throw new SsdInputException($"{EnvironmentVariable}: expected 1 (keep oneDNN) or 0 (no oneDNN in backward passes), not '{setting}'"),
        };
    }

    // Unmended where padding does not help either (no such CPU is known): the forward pass has no slower fallback here.
    // SSD_ONEDNN=0 concerns backward passes only.
    private static OneDnnRemedies DecideForward() =>
        KeepOneDnnSetting() != true && WithOneDnnOn(() => !ForwardIsRight(padded: false) && ForwardIsRight(padded: true))
            ? OneDnnRemedies.PadInputChannels
            : OneDnnRemedies.None;

    private static OneDnnRemedies DecideBackward() => KeepOneDnnSetting() switch
    {
        true => OneDnnRemedies.None,
        false => LibTorchContext.Available ? OneDnnRemedies.BackwardWithoutOneDnn : OneDnnRemedies.None,
        null => WithOneDnnOn(() =>
            GradientsAreRight(padded: false) ? OneDnnRemedies.None
            : GradientsAreRight(padded: true) ? OneDnnRemedies.PadOutputChannels
            : LibTorchContext.Available ? OneDnnRemedies.BackwardWithoutOneDnn
            : OneDnnRemedies.None),
    };

    /// <summary>Convolutions shaped like the failing ones forward (3×3, stride 1 and 2, 24 and 40 input channels), against float64.</summary>
    private static bool ForwardIsRight(bool padded)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // A private generator: the global one is the training run's, seeded for reproducibility.
        using var generator = new Generator(1);
        (int In, int Out, int Stride)[] cases = [(24, 16, 1), (40, 4, 1), (24, 64, 2), (40, 16, 2)];
        foreach (var (inChannels, outChannels, stride) in cases)
        {
            var input = randn([2, inChannels, 19, 19], generator: generator);
            var weight = randn([outChannels, inChannels, 3, 3], generator: generator);
            long[] strides = [stride, stride], paddings = [1, 1], dilations = [1, 1];
            var actual = PaddedConvolution(input, weight, null, strides, paddings, dilations, padded ? MissingChannels(inChannels) : 0, 0);
            var expected = nn.functional.conv2d(input.to(float64), weight.to(float64), null, strides, paddings, dilations);
            if (!Close(actual, expected)) return false;
        }
        return true;
    }

    /// <summary>
    /// Convolutions shaped like the failing ones backward (3×3, stride 1, output channels not a multiple of 16, with and
    /// without padding or dilation; 16 or fewer input channels or a multiple of 16, so that the forward fault is not
    /// measured too), their float32 gradients against float64 ones.
    /// </summary>
    private static bool GradientsAreRight(bool padded)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        using var generator = new Generator(1);
        (int In, int Out, int Size, int Padding, int Dilation)[] cases = [(8, 12, 38, 1, 1), (16, 24, 19, 1, 1), (32, 8, 19, 1, 1), (8, 6, 5, 0, 1), (16, 36, 19, 6, 6)];
        foreach (var (inChannels, outChannels, size, padding, dilation) in cases)
        {
            long outSize = size + 2 * padding - 2 * dilation;
            Tensor[] operands =
            [
                randn([2, inChannels, size, size], generator: generator),
                randn([outChannels, inChannels, 3, 3], generator: generator),
                randn([outChannels], generator: generator),
                randn([2, outChannels, outSize, outSize], generator: generator),
            ];
            var actual = Gradients(operands, padding, dilation, padded ? MissingChannels(outChannels) : 0);
            var expected = Gradients([.. operands.Select(t => t.to(float64))], padding, dilation, 0);
            if (!actual.Zip(expected).All(pair => Close(pair.First, pair.Second))) return false;
        }
        return true;
    }

    /// <summary>The gradients of input, weight and bias (<paramref name="operands"/>) given the output's (its last).</summary>
    private static Tensor[] Gradients(Tensor[] operands, long padding, long dilation, long extraOutputs)
    {
        var x = operands[0].detach().requires_grad_();
        var w = operands[1].detach().requires_grad_();
        var b = operands[2].detach().requires_grad_();
        PaddedConvolution(x, w, b, [1, 1], [padding, padding], [dilation, dilation], 0, extraOutputs).backward([operands[3]]);
        return [x.grad!, w.grad!, b.grad!];
    }

    /// <summary>Whether float32 <paramref name="actual"/> is within 1e-4 of the largest magnitude of float64 <paramref name="expected"/>.</summary>
    private static bool Close(Tensor actual, Tensor expected) => Magnitude(actual.to(float64) - expected) <= 1e-4 * Magnitude(expected);
}
