using System.Security.Cryptography;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Training;

/// <summary><c>ssd convert --from</c> a training checkpoint: the model file of any of a run's checkpoints, to detect or evaluate with.</summary>
public sealed class ConvertCheckpointTests : IClassFixture<TrainCommandTests.TinyDataset>
{
    private readonly TrainCommandTests.TinyDataset _data;

    public ConvertCheckpointTests(TrainCommandTests.TinyDataset data) => _data = data;

    /// <summary>A run of three iterations that keeps its three checkpoints: the run's folder and their paths.</summary>
    private (string Run, List<string> Checkpoints) Run()
    {
        var run = _data.NewDirectory();
        var train = CliRunner.Run("train", "--config", _data.ConfigFile, "--data", _data.Spec, "--out", run, "--iterations", "3", "--batch", "2",
            "--workers", "1", "--checkpoint-every", "1", "--keep-checkpoints", "3", "--lr", "0.01");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var checkpoints = Directory.GetFiles(run, "tiny300-iter*.safetensors").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, checkpoints.Count);
        return (run, checkpoints);
    }

    [Fact]
    public void TheLastCheckpointMakesTheRunsModelFileAndAnEarlierOneItsOwnWeights()
    {
        var (run, checkpoints) = Run();
        var output = _data.NewDirectory();
        Directory.CreateDirectory(output);

        var last = Path.Combine(output, "last.safetensors");
        var converted = CliRunner.Run("convert", "--from", checkpoints[2], "--output", last);
        Assert.True(converted.ExitCode == 0, converted.Stderr);
        var (modelConfig, modelWeights) = ModelFile.Load(Path.Combine(run, "model.safetensors"));
        var (lastConfig, lastWeights) = ModelFile.Load(last);
        // The run's configuration with the run's recipe, as the trainer writes it, and the same tensors bit for bit.
        Assert.Equal(modelConfig.ToJson(), lastConfig.ToJson());
        Assert.Equal(modelWeights.Keys.Order(StringComparer.Ordinal), lastWeights.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in modelWeights) Assert.True(tensor.Data.AsSpan().SequenceEqual(lastWeights[key].Data), key);

        var first = Path.Combine(output, "first.safetensors");
        Assert.Equal(0, CliRunner.Run("convert", "--from", checkpoints[0], "--output", first).ExitCode);
        var (_, firstWeights) = ModelFile.Load(first);
        var (_, stored) = TrainingCheckpoint.LoadModel(checkpoints[0]);
        foreach (var (key, tensor) in stored) Assert.True(tensor.Data.AsSpan().SequenceEqual(firstWeights[key].Data), key);
        Assert.Contains(firstWeights, kv => !kv.Value.Data.AsSpan().SequenceEqual(lastWeights[kv.Key].Data));

        // A model file like any other: ssd detects with it.
        var image = Directory.GetFiles(Path.Combine(_data.Root, "shapes", "JPEGImages"))[0];
        var detect = CliRunner.Run("detect", "--weights", first, "--format", "text", image);
        Assert.True(detect.ExitCode == 0, detect.Stderr);
    }

    [Fact]
    public void RefusesACheckpointWithoutItsRunAndLeavesItAlone()
    {
        var (_, checkpoints) = Run();
        var before = SHA256.HashData(File.ReadAllBytes(checkpoints[1]));
        var output = Path.Combine(_data.NewDirectory() + ".safetensors");

        // Where a model file belongs, a checkpoint is named as such, with the way to its model file.
        var image = Directory.GetFiles(Path.Combine(_data.Root, "shapes", "JPEGImages"))[0];
        CliAssert.OneLineError(CliRunner.Run("detect", "--weights", checkpoints[1], image), checkpoints[1], "a training checkpoint", "ssd convert --from");

        // Away from its checkpoint.json the network's configuration is unknown.
        var alone = Path.Combine(Directory.CreateDirectory(_data.NewDirectory()).FullName, Path.GetFileName(checkpoints[1]));
        File.Copy(checkpoints[1], alone);
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", alone, "--output", output), alone, "checkpoint.json");
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", checkpoints[1], "--output", checkpoints[1]), checkpoints[1]);
        var damaged = Path.Combine(_data.NewDirectory() + ".safetensors");
        File.WriteAllText(damaged, "not a checkpoint");
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", damaged, "--output", output), damaged);

        Assert.False(File.Exists(output));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(checkpoints[1])));
    }
}
