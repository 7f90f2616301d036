using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;
using SsdSharp.Data.Synthetic;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;
using TorchSharp;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ssd-trainer-{Guid.NewGuid():N}");

    private static TrainingOptions Options(long iterations) => new()
    {
        Iterations = iterations,
        BatchSize = 2,
        LearningRate = 1e-2,
        LearningRateSteps = [4],
        WarmupIterations = 2,
        MaxGradientNorm = 10,
        CheckpointEvery = 2,
        Seed = 3,
    };

    private string Dir(string name) => Path.Combine(_root, name);

    private static List<double> Losses(string directory) =>
        TrainingLog.ReadLosses(Path.Combine(directory, TrainingLog.FileName)).Select(e => e.LocalizationLoss + e.ConfidenceLoss).ToList();

    [Fact]
    public void InterruptedAndResumedRunGivesTheSameLossesAsAnUninterruptedOne()
    {
        var config = TinyConfig.Create();
        using (var trainer = Trainer.Create(config, Options(6), Dir("straight")))
        {
            Assert.Equal(TrainingOutcome.Completed, trainer.Run(new SyntheticBatches(config, 2, seed: 3)).Outcome);
        }

        using var cancel = new CancellationTokenSource();
        TrainingResult first;
        using (var trainer = Trainer.Create(config, Options(6), Dir("resumed")))
        {
            // Cancelled after iteration 3, between two checkpoints, as Ctrl-C would.
            first = trainer.Run(new SyntheticBatches(config, 2, seed: 3),
                new SynchronousProgress<TrainingProgress>(p => { if (p.Iteration == 3) cancel.Cancel(); }), cancel.Token);
        }
        Assert.Equal(TrainingOutcome.Cancelled, first.Outcome);
        Assert.Equal(3, first.Iteration);
        Assert.Equal(3, TrainingCheckpoint.Read(Dir("resumed")).Iteration);

        using (var trainer = Trainer.Resume(Dir("resumed")))
        {
            Assert.Equal(3, trainer.Iteration);
            var second = trainer.Run(new SyntheticBatches(config, 2, seed: 3));
            Assert.Equal(TrainingOutcome.Completed, second.Outcome);
        }

        var expected = Losses(Dir("straight"));
        var actual = Losses(Dir("resumed"));
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Abs(expected[i]), $"iteration {i + 1}: {actual[i]} after resume, {expected[i]} without");
        }
    }

    [Fact]
    public void ResumeThroughTheRealLoaderRepeatsTheSameBatches()
    {
        var config = TinyConfig.Create(SsdPresets.ShapeClasses);
        var data = Dir("data");
        SyntheticDataset.Generate(data, new SyntheticDatasetOptions { Images = 12, Seed = 2, MinSide = 96, MaxSide = 160, MaxObjects = 3 });
        var images = DatasetReader.Read($"VOC:{data}", DatasetReadOptions.ForTraining(config.ClassNames)).Images;
        // Two workers, so that a resumed loader starts on a different worker than the uninterrupted one did.
        IBatchSource Source() => new TrainingLoader(images, NetworkInputFormat.From(config), new LoaderOptions { BatchSize = 2, Workers = 2, Seed = 9 });

        using (var trainer = Trainer.Create(config, Options(3), Dir("loader-straight"))) trainer.Run(Source());
        using (var trainer = Trainer.Create(config, Options(2), Dir("loader-resumed"))) trainer.Run(Source());
        using (var trainer = Trainer.Resume(Dir("loader-resumed"), o => o with { Iterations = 3 })) trainer.Run(Source());

        var expected = Losses(Dir("loader-straight"));
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, Losses(Dir("loader-resumed")));
    }

    [Fact]
    public void NonFiniteLossStopsNamingIterationAndImagesAndKeepsTheLastCheckpoint()
    {
        var config = TinyConfig.Create();
        var dir = Dir("nan");
        using var trainer = Trainer.Create(config, Options(6), dir);
        var source = new SyntheticBatches(config, 2, seed: 1, poisoned: i => i == 2);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(source));
        Assert.Equal(3, e.Iteration);
        Assert.Contains("iteration 3", e.Message);
        Assert.Contains("synthetic-2-0", e.Message);
        Assert.Contains("synthetic-2-1", e.Message);
        var info = TrainingCheckpoint.Read(dir);
        Assert.Equal(2, info.Iteration);
        Assert.Equal(info.File, e.LastCheckpoint);

        // The checkpoint still resumes.
        using var resumed = Trainer.Resume(dir);
        Assert.Equal(2, resumed.Iteration);
    }

    [Fact]
    public void CompletedRunLeavesModelLogChartAndOnlyTheNewestCheckpoints()
    {
        var config = TinyConfig.Create();
        var dir = Dir("outputs");
        var reports = new List<TrainingProgress>();
        using var trainer = Trainer.Create(config, Options(5) with { KeepCheckpoints = 2 }, dir);
        var result = trainer.Run(new SyntheticBatches(config, 2, seed: 5), new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), reports.Select(r => r.Iteration));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss) && r.ImagesPerSecond > 0 && r.DataWaitShare is >= 0 and <= 1));
        Assert.Equal(Options(5).LearningRateAt(0), reports[0].LearningRate, 12);
        Assert.Equal(5, File.ReadAllLines(result.LogPath).Length);
        Assert.True(new FileInfo(result.LossCurvePath).Length > 1000);
        // Checkpoints at 2, 4 and 5; only the newest two stay.
        Assert.Equal(["tiny300-iter0000004.safetensors", "tiny300-iter0000005.safetensors"],
            Directory.GetFiles(dir, "*.safetensors").Select(Path.GetFileName).Where(n => n!.StartsWith("tiny300", StringComparison.Ordinal)).Order());
        Assert.Equal(5, TrainingCheckpoint.Read(dir).Iteration);
        using var model = NetworkFile.Load(result.ModelPath!);
        Assert.Equal("tiny300", model.Config.Name);
        // The model records the run's recipe, not the configuration's default.
        Assert.Equal(5, model.Config.Recipe!.Iterations);
        Assert.Equal(Options(5).LearningRateSteps, model.Config.Recipe.LearningRateSteps);
    }

    [Fact]
    public void NewRunRefusesADirectoryWithACheckpoint()
    {
        var config = TinyConfig.Create();
        var dir = Dir("taken");
        using (var trainer = Trainer.Create(config, Options(1), dir)) trainer.Run(new SyntheticBatches(config, 2, seed: 0));
        var e = Assert.Throws<SsdInputException>(() => Trainer.Create(config, Options(1), dir));
        Assert.Contains("--resume", e.Message);
    }

    [Fact]
    public void StepsDoNotLeakTensors()
    {
        var config = TinyConfig.Create();
        using var trainer = Trainer.Create(config, Options(8) with { CheckpointEvery = 100 }, Dir("leak"));
        var live = new List<long>();
        trainer.Run(new SyntheticBatches(config, 2, seed: 0),
            new SynchronousProgress<TrainingProgress>(_ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount)));
        // After the first steps have created the momentum buffers, the count of live tensors stays flat.
        Assert.Equal(live[2], live[^2]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
