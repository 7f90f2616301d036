using SsdSharp.Configuration;
using SsdSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>
/// Copies a state dict into a module strictly: every parameter and buffer must be present with
/// the same shape and no key may be left over, so that nothing is silently left at random.
/// Values are converted to each parameter's dtype (a float16 checkpoint loads into float32); weights
/// that are not finite are refused.
/// </summary>
public static class StateDictLoader
{
    /// <summary>The module's state dict without bookkeeping entries: what a model file stores.</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> Weights(nn.Module module) =>
        module.state_dict().Where(kv => !StateDictKeys.IsBookkeeping(kv.Key));

    /// <summary>A new network of <paramref name="config"/> holding exactly <paramref name="stateDict"/> (see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string)"/>); disposed if the weights do not fit.</summary>
    /// <param name="config">The network to build.</param>
    /// <param name="stateDict">Names to host tensors, as a model file holds them.</param>
    /// <param name="source">The file it came from, for the error message.</param>
    /// <exception cref="WeightsException">The weights do not fit the network, or are not finite (as <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string)"/>).</exception>
    public static SsdNetwork NetworkOf(SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, string source) =>
        Build(config, network => Load(network, stateDict, source));

    /// <summary>A new network of <paramref name="config"/> holding exactly <paramref name="stateDict"/>; disposed if the weights do not fit.</summary>
    /// <param name="config">The network to build.</param>
    /// <param name="stateDict">Names to tensors.</param>
    /// <param name="source">The file it came from, for the error message.</param>
    /// <exception cref="WeightsException">The weights do not fit the network, or are not finite (as <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string)"/>).</exception>
    public static SsdNetwork NetworkOf(SsdConfig config, IReadOnlyDictionary<string, Tensor> stateDict, string source) =>
        Build(config, network => Load(network, stateDict, source));

    private static SsdNetwork Build(SsdConfig config, Action<SsdNetwork> load)
    {
        // Its native tensors are freed now rather than at some later collection when the weights are refused.
        var network = new SsdNetwork(config);
        try
        {
            load(network);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Loads host tensors (from a model file) into <paramref name="module"/>; see the tensor overload.</summary>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, HostTensor> stateDict, string source)
    {
        using var scope = NewDisposeScope();
        Load(module, stateDict.ToDictionary(kv => kv.Key, kv => HostTensors.ToTorch(kv.Value)), source);
    }

    /// <summary>Loads <paramref name="stateDict"/> into <paramref name="module"/>.</summary>
    /// <param name="module">The target.</param>
    /// <param name="stateDict">Names to tensors.</param>
    /// <param name="source">The file it came from, for the error message.</param>
    /// <exception cref="WeightsException">Listing every missing, unexpected and mis-shaped key, with both shapes; or naming the tensors that hold NaN or infinite values.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var target = module.state_dict();
        var required = Weights(module).Select(kv => kv.Key).ToList();
        var missing = required.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var misShaped = stateDict.Where(kv => target.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} (file {HostTensor.FormatShape(kv.Value.shape)}, network {HostTensor.FormatShape(target[kv.Key].shape)})").ToList();
        if (WeightsException.Mismatch(source, missing, unexpected, misShaped) is { } mismatch) throw mismatch;
        using var _ = no_grad();
        CheckValues(stateDict, stateDict.Keys, source);
        foreach (var (key, value) in stateDict) CopyConverted(target[key], value);
    }

    /// <summary>
    /// Copies every layer of <paramref name="stateDict"/> that fits <paramref name="module"/> — all of the
    /// layer's entries present with the same shapes, so that a weight never meets another layer's bias — and
    /// leaves the rest of the module as it is (fine-tuning: the caller has initialised it).
    /// </summary>
    /// <param name="module">The target.</param>
    /// <param name="stateDict">Names to tensors.</param>
    /// <param name="source">The file it came from, for the error message.</param>
    /// <returns>Which entries were copied, which of the module's kept their values (their layer is absent or of another shape in the file), and which of the file's the module has no place for.</returns>
    /// <exception cref="WeightsException">Naming the fitting tensors that hold NaN or infinite values.</exception>
    public static WeightTransfer LoadWhatFits(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var target = module.state_dict();
        var required = Weights(module).Select(kv => kv.Key).ToList();
        bool Fits(string key) => stateDict.TryGetValue(key, out var v) && v.shape.SequenceEqual(target[key].shape);
        var loaded = required.GroupBy(WeightTransfer.LayerOf).Where(layer => layer.All(Fits)).SelectMany(layer => layer).ToList();
        var loadedSet = loaded.ToHashSet(StringComparer.Ordinal);
        using (no_grad())
        {
            CheckValues(stateDict, loaded, source);
            foreach (var key in loaded) CopyConverted(target[key], stateDict[key]);
        }
        var kept = required.Where(k => !loadedSet.Contains(k)).ToList();
        var unused = stateDict.Keys.Where(k => !target.ContainsKey(k) && !StateDictKeys.IsBookkeeping(k)).ToList();
        return new WeightTransfer(loaded, kept, unused);
    }

    /// <summary>Copies <paramref name="value"/> into <paramref name="target"/>, converted to its type and device.</summary>
    internal static void CopyConverted(Tensor target, Tensor value)
    {
        // The scope holds the converted copy until copy_ has returned: a temporary passed straight in is unreachable
        // once its handle is read, and a garbage collection during the (long) copy let the finalizer free it under
        // libtorch, which then crashed incrementing its reference count.
        using var scope = NewDisposeScope();
        target.copy_(value.to(target.dtype, target.device));
    }

    /// <summary>
    /// Refuses values that would poison every output rather than detect nothing later: NaN or infinite weights, and
    /// negative running variances (whose square root divides).
    /// </summary>
    /// <exception cref="WeightsException">Naming the tensors.</exception>
    private static void CheckValues(IReadOnlyDictionary<string, Tensor> stateDict, IEnumerable<string> keys, string source)
    {
        var checkedKeys = keys.Where(k => stateDict[k].is_floating_point()).ToList();
        using var scope = NewDisposeScope();
        var nonFinite = checkedKeys.Where(k => !isfinite(stateDict[k]).all().item<bool>()).ToList();
        if (nonFinite.Count > 0) throw WeightsException.NonFinite(source, nonFinite);
        var negative = checkedKeys.Where(k => StateDictKeys.IsRunningVariance(k) && stateDict[k].lt(0).any().item<bool>()).ToList();
        if (negative.Count > 0) throw WeightsException.NegativeVariance(source, negative);
    }
}
