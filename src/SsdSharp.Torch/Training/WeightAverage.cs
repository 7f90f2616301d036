using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Training;

/// <summary>
/// The uniform average of the weights of several models of one network: of the checkpoints along one run (stochastic
/// weight averaging, Izmailov et al. 2018) or of fine-tunes from one start (a "model soup", Wortsman et al. 2022),
/// which lands nearer the middle of the region of low loss they share than any one of them.
/// </summary>
/// <remarks>
/// Batch-norm running statistics are averaged like the weights, but the mean of the statistics is not the
/// statistics of the mean weights: a network with batch norm needs <see cref="BatchNormStatistics.Reestimate"/>
/// afterwards, on training images.
/// </remarks>
public static class WeightAverage
{
    /// <summary>Reads the models and builds the network holding the mean of their weights.</summary>
    /// <param name="paths">Two or more SsdSharp model files or training checkpoints (<see cref="TrainingCheckpoint.LoadModel"/>), all of one network.</param>
    /// <returns>The network, with the configuration of the first file (its recipe included).</returns>
    /// <exception cref="SsdInputException">Fewer than two files, or a file of another network (naming it and the first field that differs).</exception>
    /// <exception cref="WeightsException">A file cannot be read; the message names it.</exception>
    public static SsdNetwork Of(IReadOnlyList<string> paths)
    {
        if (paths.Count < 2) throw new SsdInputException($"averaging needs two or more models, got {paths.Count}");
        var (config, sums) = Load(paths[0]);
        try
        {
            using (no_grad())
            {
                foreach (var path in paths.Skip(1)) Add(sums, config, paths[0], path);
                foreach (var sum in sums.Values) sum.div_(paths.Count);
            }
            return StateDictLoader.NetworkOf(config, sums, $"the mean of {paths[0]} and {paths.Count - 1} more");
        }
        finally
        {
            foreach (var sum in sums.Values) sum.Dispose();
        }
    }

    /// <summary>The file's configuration and its weights in float64, the precision they are summed in.</summary>
    private static (SsdConfig Config, Dictionary<string, Tensor> Weights) Load(string path)
    {
        var (config, host) = TrainingCheckpoint.LoadModel(path);
        return (config, host.ToDictionary(kv => kv.Key, kv =>
        {
            using var stored = HostTensors.ToTorch(kv.Value);
            return stored.to(ScalarType.Float64);
        }));
    }

    private static void Add(Dictionary<string, Tensor> sums, SsdConfig config, string first, string path)
    {
        var (other, weights) = Load(path);
        try
        {
            // The recipe says how a model was trained, not what network it is: runs of one network differ there.
            if (SsdConfigComparison.FirstDifference(config with { Recipe = null }, other with { Recipe = null }) is var (field, a, b))
                throw new SsdInputException($"{path}: another network than {first}: '{field}' is {b}, in {first} {a}; only models of one network can be averaged");
            var missing = sums.Keys.Except(weights.Keys).Concat(weights.Keys.Except(sums.Keys)).FirstOrDefault();
            if (missing is not null)
                throw new SsdInputException($"{path}: '{missing}' is in one of {first} and {path} only; only models of one network can be averaged");
            foreach (var (key, sum) in sums) sum.add_(weights[key]);
        }
        finally
        {
            foreach (var w in weights.Values) w.Dispose();
        }
    }
}
