using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Training;

/// <summary><c>ssd average</c> on the checkpoints of a tiny run (<c>ssd train --keep-checkpoints</c>) and on model files.</summary>
public sealed class AverageCommandTests : IClassFixture<TrainCommandTests.TinyDataset>
{
    private readonly TrainCommandTests.TinyDataset _data;

    public AverageCommandTests(TrainCommandTests.TinyDataset data) => _data = data;

    /// <summary>A run of three iterations that keeps all three checkpoints; their paths.</summary>
    private List<string> RunCheckpoints(string config)
    {
        var run = _data.NewDirectory();
        var train = CliRunner.Run("train", "--config", config, "--data", _data.Spec, "--out", run, "--iterations", "3", "--batch", "2",
            "--workers", "1", "--checkpoint-every", "1", "--keep-checkpoints", "3", "--lr", "0.01");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var checkpoints = Directory.GetFiles(run, "tiny300-iter*.safetensors").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, checkpoints.Count);
        return checkpoints;
    }

    [Fact]
    public void AveragesARunsCheckpointsAndReestimatesBatchNormStatistics()
    {
        var checkpoints = RunCheckpoints(_data.ConfigFile);
        var output = Path.Combine(_data.NewDirectory(), "mean.safetensors");
        var result = CliRunner.Run(["average", .. checkpoints, "--out", output, "--data", _data.Spec, "--batches", "2", "--batch", "4", "--workers", "1"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("re-estimated on 2 batches of 4 images", result.Stderr);
        Assert.Contains("the mean of 3 models of tiny300", result.Stderr);

        using var written = NetworkFile.Load(output);
        using var plain = WeightAverage.Of(checkpoints);
        var expected = plain.state_dict();
        foreach (var (key, value) in StateDictLoader.Weights(written))
        {
            bool same = allclose(value, expected[key], rtol: 1e-6, atol: 1e-7);
            // The weights are the mean; the batch-norm statistics are the images' for that mean, not the mean of the checkpoints'.
            if (key.EndsWith(".running_mean", StringComparison.Ordinal) || key.EndsWith(".running_var", StringComparison.Ordinal))
                Assert.False(same, $"{key} is the mean of the checkpoints'");
            else
                Assert.True(same, key);
        }
    }

    [Fact]
    public void RefusesWhatItCannotAverage()
    {
        var checkpoints = RunCheckpoints(_data.ConfigFile);
        var output = Path.Combine(_data.NewDirectory(), "mean.safetensors");
        CliAssert.OneLineError(CliRunner.Run(["average", .. checkpoints, "--out", output]), "--data is required", "batch norm");
        CliAssert.OneLineError(CliRunner.Run("average", checkpoints[0], "--out", output, "--data", _data.Spec), "two or more models, got 1");
        CliAssert.OneLineError(CliRunner.Run("average", checkpoints[0], checkpoints[1], "--out", checkpoints[1], "--data", _data.Spec), checkpoints[1]);
        CliAssert.OneLineError(CliRunner.Run("average", checkpoints[0], Path.Combine(_data.Root, "missing.safetensors"), "--out", output, "--data", _data.Spec),
            "missing.safetensors");
        var damaged = Path.Combine(_data.NewDirectory() + ".safetensors");
        File.WriteAllText(damaged, "not a model");
        CliAssert.OneLineError(CliRunner.Run("average", checkpoints[0], damaged, "--out", output, "--data", _data.Spec), damaged);
        Assert.False(File.Exists(output));

        // Without batch norm the weights are all there is: the options for statistics are refused rather than ignored.
        var plainConfig = Path.Combine(_data.NewDirectory() + ".json");
        (TinyConfig.Create(SsdPresets.ShapeClasses) with { BatchNorm = false }).Save(plainConfig);
        var plain = RunCheckpoints(plainConfig);
        CliAssert.OneLineError(CliRunner.Run("average", plain[0], plain[2], "--out", output, "--data", _data.Spec), "--data", "no batch norm");
        var result = CliRunner.Run("average", plain[0], plain[2], "--out", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var written = NetworkFile.Load(output);
        Assert.False(written.Config.BatchNorm);
    }
}
