using SsdSharp.Configuration;
using SsdSharp.Inference;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// A stand-in network for the batching tests: records each batch's size, can hold a forward pass until the
/// test releases it, and writes each image's first input value into its first box, so that a test can check
/// that every caller got its own image's predictions.
/// </summary>
internal sealed class GatedBackend(bool gated = false) : IInferenceBackend
{
    private readonly SemaphoreSlim _gate = new(0);
    private readonly SemaphoreSlim _started = new(0);
    private readonly List<int> _batches = [];

    public SsdConfig Config => SsdPresets.Shapes300;

    public string Description => "gated test backend";

    /// <summary>Sizes of the batches run so far.</summary>
    public IReadOnlyList<int> Batches
    {
        get
        {
            lock (_batches) return [.. _batches];
        }
    }

    /// <summary>Thrown by the next forward pass, when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Lets <paramref name="count"/> held forward passes finish.</summary>
    public void Release(int count = 1) => _gate.Release(count);

    /// <summary>Waits until a forward pass has begun (and, when gated, is held).</summary>
    public bool WaitStarted(TimeSpan timeout) => _started.Wait(timeout);

    public NetworkPredictions Run(float[] input, int count)
    {
        lock (_batches) _batches.Add(count);
        _started.Release();
        if (gated && !_gate.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("the test never released the forward pass");
        if (Failure is { } failure)
        {
            Failure = null;
            throw failure;
        }
        int priors = Config.NumPriors, classes = Config.NumClasses, length = input.Length / count;
        var boxes = new float[count * priors * 4];
        for (int n = 0; n < count; n++) boxes[n * priors * 4] = input[n * length];
        return new NetworkPredictions(count, priors, classes, boxes, new float[count * priors * classes]);
    }

    public void Dispose() => _gate.Dispose();
}
