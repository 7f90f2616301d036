using SsdSharp.Configuration;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Training;

/// <summary>Fine-tuning smoke test: torchvision's 21-class fixture checkpoint becomes a 5-class shapes model.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class FineTuneTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ssd-finetune-{Guid.NewGuid():N}");

    private static string Checkpoint => Fixtures.SharedTorchvisionCheckpoint()
        ?? throw new InvalidOperationException("../shared/fixtures/torchvision/tv_ssd300_vgg16_seed0_fp16.pth is absent");

    [Fact]
    public void TorchvisionCheckpointFineTunesIntoAFiveClassModelKeepingItsBackbone()
    {
        using var weights = ImportedWeights.Read(Checkpoint);
        var config = weights.Config! with { ClassNames = SsdPresets.ShapeClasses };
        var options = new TrainingOptions { Iterations = 2, BatchSize = 2, CheckpointEvery = 2, Seed = 5 };
        using var trainer = Trainer.Create(config, options, _root, initialWeights: weights);

        // Only the class heads, whose shape follows the class count, start anew; nothing of the file is left over.
        var transfer = trainer.InitialWeights!;
        Assert.Equal(Enumerable.Range(0, 6).Select(k => $"conf.{k}"), WeightTransfer.Layers(transfer.Kept));
        Assert.Empty(transfer.Unused);
        var state = trainer.Network.state_dict();
        Assert.Equal(6 * 4, state["conf.0.weight"].shape[0]);
        foreach (var key in transfer.Loaded)
        {
            Assert.False(key.StartsWith("conf.", StringComparison.Ordinal), key);
            using var expected = weights.StateDict[key].to(ScalarType.Float32);
            Assert.True(state[key].allclose(expected, rtol: 0, atol: 0), $"{key} is not the checkpoint's");
        }
        Assert.Contains("vgg.0.weight", transfer.Loaded);
        Assert.Contains("L2Norm.weight", transfer.Loaded);
        Assert.Contains("loc.5.bias", transfer.Loaded);

        var result = trainer.Run(new SyntheticBatches(config, batchSize: 2, seed: 1));
        Assert.Equal(2, result.Iteration);
        var losses = TrainingLog.ReadLosses(Path.Combine(_root, TrainingLog.FileName));
        Assert.Equal(2, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l.LocalizationLoss + l.ConfidenceLoss)));
        var (saved, _) = ModelFile.Load(result.ModelPath!);
        Assert.Equal(SsdPresets.ShapeClasses, saved.ClassNames);
        Assert.Equal(DefaultBoxClip.Sizes, saved.Clip);
    }

    [Fact]
    public void AModelOfAnotherLayoutIsRefused()
    {
        using var weights = ImportedWeights.Read(Checkpoint);
        var e = Assert.Throws<SsdInputException>(() => Trainer.Create(TinyConfig.Create(), new TrainingOptions(), _root, initialWeights: weights));
        Assert.Contains("no weight fits", e.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
