using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public sealed class WeightAverageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ssd-average").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Model(string name, SsdConfig config, int seed)
    {
        manual_seed(seed);
        using var network = new SsdNetwork(config);
        network.Initialize();
        // Every weight and statistic different from model to model (biases and batch-norm statistics start equal).
        using (no_grad())
        {
            foreach (var (_, tensor) in StateDictLoader.Weights(network)) tensor.add_(rand_like(tensor));
        }
        var path = Path.Combine(_root, name);
        NetworkFile.Save(network, path);
        return path;
    }

    [Fact]
    public void EveryWeightAndStatisticIsTheMeanOfTheModels()
    {
        var config = TinyConfig.Create();
        var paths = new[] { Model("a.safetensors", config, 1), Model("b.safetensors", config, 2), Model("c.safetensors", config, 3) };
        using var mean = WeightAverage.Of(paths);
        var models = paths.Select(p => NetworkFile.Load(p)).ToList();
        var states = models.Select(m => m.state_dict()).ToList();
        var averaged = mean.state_dict();
        foreach (var (key, _) in StateDictLoader.Weights(mean))
        {
            var expected = (states[0][key] + states[1][key] + states[2][key]) / 3;
            Assert.True(allclose(averaged[key], expected, rtol: 1e-6, atol: 1e-7), key);
            Assert.False(allclose(averaged[key], states[0][key]), $"{key} is the first model's");
        }
        Assert.Null(SsdConfigComparison.FirstDifference(config, mean.Config));
        foreach (var m in models) m.Dispose();
    }

    [Fact]
    public void ACheckpointOfARunIsReadWithTheRunsConfiguration()
    {
        var config = TinyConfig.Create();
        var run = Path.Combine(_root, "run");
        using (var trainer = Trainer.Create(config, new TrainingOptions { Iterations = 2, BatchSize = 2, CheckpointEvery = 1, KeepCheckpoints = 5, Seed = 4 }, run))
            trainer.Run(new SyntheticBatches(config, 2, seed: 4));
        var checkpoints = Directory.GetFiles(run, "tiny300-iter*.safetensors").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, checkpoints.Count);

        // The last checkpoint holds the weights of the model the run wrote: averaged with it, the same weights.
        var model = Path.Combine(run, Trainer.ModelFileName);
        using var mean = WeightAverage.Of([checkpoints[1], model]);
        using var written = NetworkFile.Load(model);
        var expected = written.state_dict();
        foreach (var (key, value) in StateDictLoader.Weights(mean)) Assert.True(allclose(value, expected[key], rtol: 1e-6, atol: 1e-7), key);

        // A checkpoint taken from its run's folder has no configuration beside it.
        var alone = Path.Combine(_root, "alone.safetensors");
        File.Copy(checkpoints[0], alone);
        var error = Assert.Throws<SsdInputException>(() => WeightAverage.Of([alone, model]));
        Assert.Contains(alone, error.Message);
        Assert.Contains(TrainingCheckpoint.SidecarName, error.Message);
    }

    [Fact]
    public void ModelsOfAnotherNetworkAreRefusedNamingTheFileAndTheField()
    {
        var config = TinyConfig.Create();
        var a = Model("a.safetensors", config, 1);
        var other = Model("other.safetensors", config with { ClassNames = ["a", "b", "c"] }, 2);
        var error = Assert.Throws<SsdInputException>(() => WeightAverage.Of([a, other]));
        Assert.Contains(other, error.Message);
        Assert.Contains("'class_names'", error.Message);

        // Another recipe is another run of the same network: averaged.
        var retrained = Model("retrained.safetensors", config with { Recipe = new TrainingRecipe { Iterations = 7 } }, 3);
        using var mean = WeightAverage.Of([a, retrained]);
        Assert.Null(SsdConfigComparison.FirstDifference(config, mean.Config));

        Assert.Throws<SsdInputException>(() => WeightAverage.Of([a]));
    }
}
