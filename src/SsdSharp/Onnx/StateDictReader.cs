using SsdSharp.Weights;

namespace SsdSharp.Onnx;

/// <summary>
/// Hands out the weights of a state dict by key for the graph being built, as float32, and checks
/// them as strictly as loading into a network does: every key present with the expected shape and
/// none left over (batch norm's step counter aside), all problems reported together.
/// </summary>
internal sealed class StateDictReader(IReadOnlyDictionary<string, HostTensor> stateDict, string source)
{
    private readonly HashSet<string> _taken = [];
    private readonly List<string> _missing = [];
    private readonly List<string> _misShaped = [];
    private readonly List<string> _nonFinite = [];
    private readonly List<string> _negativeVariance = [];

    /// <summary>The values of <paramref name="key"/>, which must have <paramref name="shape"/>; zeros (and a recorded problem) when it does not.</summary>
    public float[] Take(string key, params long[] shape)
    {
        _taken.Add(key);
        if (!stateDict.TryGetValue(key, out var tensor))
            _missing.Add(key);
        else if (!tensor.Shape.SequenceEqual(shape))
            _misShaped.Add($"{key} (file {HostTensor.FormatShape(tensor.Shape)}, network {HostTensor.FormatShape(shape)})");
        else if (tensor.DType is TensorDType.F32 or TensorDType.F16 or TensorDType.BF16 or TensorDType.F64)
        {
            var values = tensor.ToFloat32();
            // A NaN or infinite weight poisons every output: refuse it as loading into a network does.
            if (values.Any(v => !float.IsFinite(v))) _nonFinite.Add(key);
            else if (StateDictKeys.IsRunningVariance(key) && values.Any(v => v < 0)) _negativeVariance.Add(key);
            return values;
        }
        else
            _misShaped.Add($"{key} (file holds {tensor.DType}, network needs floating point)");
        return new float[shape.Aggregate(1L, (a, b) => a * b)];
    }

    /// <summary>Throws when a key was missing, mis-shaped or not finite (or a negative running variance), or a key of the state dict was not taken.</summary>
    /// <exception cref="WeightsException">Listing every missing, unexpected and mis-shaped key, or the keys with NaN or infinite values or negative variances.</exception>
    public void ThrowOnProblems()
    {
        var unexpected = stateDict.Keys.Where(k => !_taken.Contains(k) && !StateDictKeys.IsBookkeeping(k)).ToList();
        if (WeightsException.Mismatch(source, _missing, unexpected, _misShaped) is { } mismatch) throw mismatch;
        if (_nonFinite.Count > 0) throw WeightsException.NonFinite(source, _nonFinite);
        if (_negativeVariance.Count > 0) throw WeightsException.NegativeVariance(source, _negativeVariance);
    }
}
