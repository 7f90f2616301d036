namespace SsdSharp.Weights;

/// <summary>A weights file that cannot be used: missing, malformed, or not matching the network; the message names the file and the keys.</summary>
public sealed class WeightsException(string message, Exception? inner = null) : SsdInputException(message, inner)
{
    /// <summary>
    /// The error for a state dict that does not fit a network, listing every missing, unexpected and
    /// mis-shaped key (the first eight of each); null when all three lists are empty.
    /// </summary>
    /// <param name="source">The file the state dict came from.</param>
    /// <param name="missing">Keys the network needs that the file lacks.</param>
    /// <param name="unexpected">Keys of the file the network does not have.</param>
    /// <param name="misShaped">Keys with both shapes, e.g. <c>conf.0.weight (file [84, 512, 3, 3], network [126, 512, 3, 3])</c>.</param>
    public static WeightsException? Mismatch(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misShaped)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {Summarise(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {Summarise(unexpected)}");
        if (misShaped.Count > 0) parts.Add($"mis-shaped {Summarise(misShaped)}");
        return parts.Count == 0 ? null : new WeightsException($"{source}: does not fit the network: {string.Join("; ", parts)}");
    }

    /// <summary>The error for weights holding NaN or infinite values, naming the keys (the first eight).</summary>
    public static WeightsException NonFinite(string source, IReadOnlyList<string> keys) =>
        new($"{source}: NaN or infinite values in {Summarise(keys)}; expected finite weights");

    /// <summary>
    /// The error for batch-norm running variances holding negative values, naming the keys (the first eight): the
    /// network would divide by the root of a negative number and detect nothing, without an error.
    /// </summary>
    public static WeightsException NegativeVariance(string source, IReadOnlyList<string> keys) =>
        new($"{source}: negative values in {Summarise(keys)}; expected running variances ≥ 0 (the file is damaged)");

    private static string Summarise(IReadOnlyList<string> keys) =>
        keys.Count <= 8 ? string.Join(", ", keys) : $"{string.Join(", ", keys.Take(8))} and {keys.Count - 8} more";
}
