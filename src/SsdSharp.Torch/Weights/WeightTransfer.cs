namespace SsdSharp.Weights;

/// <summary>What <see cref="StateDictLoader.LoadWhatFits"/> took from a file: state-dict keys by outcome.</summary>
/// <param name="Loaded">Entries copied from the file.</param>
/// <param name="Kept">Entries of the module the file did not fit (absent, or of another shape), which keep their initialisation.</param>
/// <param name="Unused">Entries of the file the module has no entry of that name for.</param>
public sealed record WeightTransfer(IReadOnlyList<string> Loaded, IReadOnlyList<string> Kept, IReadOnlyList<string> Unused)
{
    /// <summary>The layers of <paramref name="keys"/>, in order, each once.</summary>
    public static IReadOnlyList<string> Layers(IEnumerable<string> keys) => keys.Select(LayerOf).Distinct().ToList();

    /// <summary>The layer of a state-dict key: the key without its last part (<c>conf.0</c> of <c>conf.0.weight</c>).</summary>
    public static string LayerOf(string key) => key.LastIndexOf('.') is var dot and > 0 ? key[..dot] : key;
}
