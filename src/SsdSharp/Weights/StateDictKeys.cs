namespace SsdSharp.Weights;

/// <summary>Rules about the keys of a state dict shared by every reader and writer of weights.</summary>
public static class StateDictKeys
{
    // BatchNorm's step counter is bookkeeping, not a weight: model files leave it out and the
    // reference's checkpoints may lack it.
    private const string BookkeepingSuffix = ".num_batches_tracked";

    /// <summary>Whether <paramref name="key"/> names bookkeeping (BatchNorm's step counter) rather than a weight.</summary>
    public static bool IsBookkeeping(string key) => key.EndsWith(BookkeepingSuffix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="key"/> is a batch norm's running variance, which must not be negative (its square root divides).</summary>
    public static bool IsRunningVariance(string key) => key.EndsWith(".running_var", StringComparison.Ordinal);
}
