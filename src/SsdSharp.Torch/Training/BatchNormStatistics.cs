using SsdSharp.Data.Loading;
using SsdSharp.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Training;

/// <summary>
/// Re-estimates the running mean and variance of a network's batch-norm layers for its present weights, which
/// weights made otherwise than by training (an average of models, <see cref="WeightAverage"/>) need: each layer's
/// statistics become the mean of its batch statistics over training batches, as the training-mode forward pass
/// computes them, with the weights unchanged.
/// </summary>
public static class BatchNormStatistics
{
    /// <summary>Whether <paramref name="network"/> has batch-norm layers, whose statistics go with particular weights.</summary>
    public static bool Present(SsdNetwork network) => network.modules().OfType<BatchNorm2d>().Any();

    /// <summary>
    /// Replaces every batch-norm layer's running statistics with the mean of the batch statistics of the first
    /// <paramref name="batches"/> batches of <paramref name="source"/> (fewer when cancelled).
    /// </summary>
    /// <param name="network">The network; its weights are not changed, and it is left in the mode it was in.</param>
    /// <param name="source">Training batches (with the augmentation of training, as the statistics were gathered in training).</param>
    /// <param name="batches">How many batches to average over.</param>
    /// <param name="cancellationToken">Stops after the current batch; the statistics are then those of the batches seen.</param>
    /// <returns>The batches seen.</returns>
    public static int Reestimate(SsdNetwork network, IBatchSource source, int batches, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches);
        var layers = network.modules().OfType<BatchNorm2d>().ToList();
        if (layers.Count == 0) return 0;
        var momenta = layers.Select(l => l.momentum).ToList();
        bool training = network.training;
        var device = network.parameters().First().device;
        int seen = 0;
        try
        {
            network.train();
            using var _ = no_grad();
            using var stream = source.Batches(0, cancellationToken).GetEnumerator();
            while (seen < batches && !cancellationToken.IsCancellationRequested && stream.MoveNext())
            {
                using var batch = stream.Current;
                seen++;
                // running ← (1 − 1/k)·running + (1/k)·batch k: after k batches, the mean of their statistics,
                // whatever the statistics were before (the first batch's momentum is 1).
                foreach (var layer in layers) layer.momentum = 1.0 / seen;
                using var scope = NewDisposeScope();
                network.call(batch.Images.to(device));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while waiting for a batch: the statistics are those of the batches seen.
        }
        finally
        {
            for (int i = 0; i < layers.Count; i++) layers[i].momentum = momenta[i];
            network.train(training);
        }
        return seen;
    }
}
