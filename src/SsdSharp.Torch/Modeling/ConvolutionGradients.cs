using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>
/// Runs the backward pass of a training step, with libtorch's oneDNN (mkldnn) convolutions turned off
/// for it on CPUs where they give wrong gradients.
/// </summary>
/// <remarks>
/// <para>Why: on an AMD EPYC of family 26 (Zen 5), libtorch 2.10's oneDNN 3.7.1 computes the input gradient of a
/// convolution (<c>jit:avx512_core</c> and <c>jit:avx2</c> backward_data) wrongly, and not always the same
/// way, when the output channels are not a multiple of the vector width (16 or 8): errors of 20–100 %
/// or NaN, for example in the 12-channel heads of a small model or the 84-channel <c>conf.0</c> of
/// SSD300 on VOC. The same convolutions forward and their weight gradients are right, so inference
/// and the forward pass keep oneDNN; only the backward pass uses libtorch's own convolution there.</para>
/// <para>Whether a CPU is affected is measured, not guessed from its model: the first call compares a few
/// such convolutions' gradients with and without oneDNN. The environment variable
/// <see cref="EnvironmentVariable"/> overrides the check: <c>1</c> keeps oneDNN's choice everywhere,
/// <c>0</c> always computes gradients without oneDNN.</para>
/// <para>The switch is libtorch's process-wide <c>at::globalContext().setUserEnabledMkldnn</c> (Python's
/// <c>torch.backends.mkldnn.enabled</c>), which TorchSharp 0.107 does not expose; while a backward pass runs,
/// convolutions on other threads run without oneDNN too (slower, still right).</para>
/// </remarks>
public static class ConvolutionGradients
{
    /// <summary>The environment variable that overrides the check: <c>1</c> keeps oneDNN, <c>0</c> avoids it in backward passes.</summary>
    public const string EnvironmentVariable = "SSD_ONEDNN";

    private static readonly Lazy<bool> Decision = new(Decide);
    private static readonly object Gate = new();
    private static int _runningBackwards;

    /// <summary>Whether backward passes run without oneDNN on this machine (decided once per process).</summary>
    /// <exception cref="SsdInputException"><see cref="EnvironmentVariable"/> is set to something other than 0 or 1.</exception>
    public static bool AvoidOneDnn => Decision.Value;

    /// <summary>Computes the gradients of <paramref name="loss"/> (<c>loss.backward()</c>), without oneDNN where it is wrong.</summary>
    /// <param name="loss">A scalar loss of a network in training mode.</param>
    public static void Backward(Tensor loss)
    {
        if (!AvoidOneDnn)
        {
            loss.backward();
            return;
        }
        // Counted, so that of two overlapping backward passes the first to finish does not turn oneDNN back on under the other.
        lock (Gate)
        {
            if (_runningBackwards++ == 0) LibTorchContext.SetMkldnn(false);
        }
        try
        {
            loss.backward();
        }
        finally
        {
            lock (Gate)
            {
                if (--_runningBackwards == 0) LibTorchContext.SetMkldnn(true);
            }
        }
    }

    private static bool Decide()
    {
        var setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return setting switch
        {
            "1" => false,
            "0" => LibTorchContext.Available,
            null or "" => LibTorchContext.Available && OneDnnGradientsAreWrong(),
            _ => throw new SsdInputException($"{EnvironmentVariable}: expected 1 (keep oneDNN) or 0 (no oneDNN in backward passes), not '{setting}'"),
        };
    }

    /// <summary>
    /// Convolutions shaped like the failing ones (3×3, stride 1, output channels not a multiple of 16 or 8),
    /// their gradients with oneDNN against libtorch's own convolution. Tens of milliseconds, once.
    /// </summary>
    private static bool OneDnnGradientsAreWrong()
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        // A private generator: the global one is the training run's, seeded for reproducibility.
        using var generator = new Generator(1);
        (int In, int Out, int Size)[] cases = [(8, 12, 38), (16, 24, 19), (8, 8, 19), (8, 6, 5)];
        foreach (var (inChannels, outChannels, size) in cases)
        {
            var input = randn([2, inChannels, size, size], generator: generator);
            var weight = randn([outChannels, inChannels, 3, 3], generator: generator);
            var gradOutput = randn([2, outChannels, size, size], generator: generator);
            var withOneDnn = Gradients(input, weight, gradOutput);
            LibTorchContext.SetMkldnn(false);
            Tensor[] without;
            try
            {
                without = Gradients(input, weight, gradOutput);
            }
            finally
            {
                LibTorchContext.SetMkldnn(true);
            }
            for (int i = 0; i < without.Length; i++)
            {
                double scale = without[i].abs().max().item<float>();
                double error = (withOneDnn[i] - without[i]).abs().max().item<float>();
                if (!(error <= 1e-4 * scale)) return true;
            }
        }
        return false;
    }

    private static Tensor[] Gradients(Tensor input, Tensor weight, Tensor gradOutput)
    {
        var x = input.detach().requires_grad_();
        var w = weight.detach().requires_grad_();
        nn.functional.conv2d(x, w, padding: [1, 1]).backward([gradOutput]);
        return [x.grad!, w.grad!];
    }
}
