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
        // A NaN or infinite weight poisons every output; refuse it here rather than detect nothing later.
        var nonFinite = stateDict.Where(kv => !IsFinite(kv.Value)).Select(kv => kv.Key).ToList();
        if (nonFinite.Count > 0)
            throw WeightsException.NonFinite(source, nonFinite);
        foreach (var (key, value) in stateDict)
        {
            var t = target[key];
            t.copy_(value.to(t.dtype, t.device));
        }
    }

    private static bool IsFinite(Tensor t)
    {
        if (!t.is_floating_point()) return true;
        using var scope = NewDisposeScope();
        return isfinite(t).all().item<bool>();
    }
}
