using System.Diagnostics;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Synthetic;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Training;

/// <summary>End-to-end smoke tests of <c>ssd train</c> on a tiny configuration and a tiny synthetic set.</summary>
public sealed class TrainCommandTests : IClassFixture<TrainCommandTests.TinyDataset>
{
    private readonly TinyDataset _data;

    public TrainCommandTests(TinyDataset data) => _data = data;

    /// <summary>Twenty small synthetic images and a tiny configuration file, shared by the tests.</summary>
    public sealed class TinyDataset : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("ssd-train-cli").FullName;

        public string Spec => $"VOC:{Path.Combine(Root, "shapes")}";

        public string ConfigFile => Path.Combine(Root, "tiny300.json");

        public TinyDataset()
        {
            SyntheticDataset.Generate(Path.Combine(Root, "shapes"), new SyntheticDatasetOptions { Images = 20, Seed = 4, MinSide = 96, MaxSide = 160, MaxObjects = 3 });
            TinyConfig.Create(SsdPresets.ShapeClasses).Save(ConfigFile);
        }

        public string NewDirectory() => Path.Combine(Root, Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    [Fact]
    public void TrainsAFewIterationsThenResumes()
    {
        var output = _data.NewDirectory();
        var first = CliRunner.Run("train", "--config", _data.ConfigFile, "--data", _data.Spec, "--out", output,
            "--iterations", "2", "--batch", "2", "--workers", "1", "--checkpoint-every", "1", "--lr", "0.001");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("trained 2 iterations", first.Stdout);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, LossCurve.FileName)));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, TrainingLog.FileName)).Length);

        var second = CliRunner.Run("train", "--resume", output, "--data", _data.Spec, "--iterations", "3", "--workers", "1");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(3, TrainingCheckpoint.Read(output).Iteration);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, TrainingLog.FileName)).Length);
    }

    [Fact]
    public void DifficultObjectsIgnoredInMatchingAreTheRunsChoiceAndTheModelsRecord()
    {
        // A set where most objects are difficult (under 40 px in the 300-px input), so that a batch is sure to hold some.
        var root = _data.NewDirectory();
        SyntheticDataset.Generate(root, new SyntheticDatasetOptions { Images = 12, Seed = 6, MinSide = 96, MaxSide = 160, MaxObjects = 3, DifficultBelow = 40 });
        var spec = $"VOC:{root}";
        var difficult = DatasetReader.Read(DatasetSpec.Voc(root), DatasetReadOptions.ForEvaluation(SsdPresets.ShapeClasses, "trainval"))
            .Images.Sum(i => i.Objects.Count(o => o.Difficult));
        Assert.True(difficult > 5, $"the set has {difficult} difficult objects");
        var output = _data.NewDirectory();
        var first = CliRunner.Run("train", "--config", _data.ConfigFile, "--data", spec, "--out", output,
            "--iterations", "2", "--batch", "8", "--workers", "1", "--checkpoint-every", "1", "--difficult", "ignore");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("difficult objects ignored", first.Stderr);
        // They were read to be ignored (a run that drops them does not read them).
        Assert.Contains($", {difficult} difficult or crowd objects to ignore", first.Stderr);
        using (var model = NetworkFile.Load(Path.Combine(output, "model.safetensors")))
            Assert.True(model.Config.Recipe!.IgnoreDifficult);

        // A resumed run keeps the choice and refuses another; a new run without it drops them, as the reference.
        var resumed = CliRunner.Run("train", "--resume", output, "--data", spec, "--iterations", "3", "--workers", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("difficult objects ignored", resumed.Stderr);
        CliAssert.OneLineError(CliRunner.Run("train", "--resume", output, "--data", spec, "--iterations", "4", "--difficult", "drop"),
            "difficult objects cannot change from ignored to dropped");
        var plain = CliRunner.Run("train", "--config", _data.ConfigFile, "--data", spec, "--out", _data.NewDirectory(), "--iterations", "1", "--batch", "2", "--workers", "1");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Contains("difficult objects dropped", plain.Stderr);
        Assert.DoesNotContain("to ignore", plain.Stderr);
        CliAssert.OneLineError(CliRunner.Run("train", "--config", _data.ConfigFile, "--data", _data.Spec, "--out", _data.NewDirectory(), "--difficult", "keep"), "--difficult");
    }

    [Fact]
    public void EvalEveryWithoutEvalDataIsRefusedBeforeTheModelAndTheData()
    {
        // A data root that does not exist: the missing --eval-data is named first, before anything is read or made.
        var output = _data.NewDirectory();
        CliAssert.OneLineError(CliRunner.Run("train", "--config", _data.ConfigFile, "--data", "VOC:" + Path.Combine(output, "nowhere"), "--out", output, "--eval-every", "2"),
            "--eval-every needs --eval-data SPEC");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task TerminationSavesACheckpointAndExitsWith130()
    {
        var output = _data.NewDirectory();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ssd.dll"));
        foreach (var a in new[] { "train", "--config", _data.ConfigFile, "--data", _data.Spec, "--out", output, "--iterations", "100000", "--batch", "2", "--workers", "1" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var log = Path.Combine(output, TrainingLog.FileName);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!(File.Exists(log) && new FileInfo(log).Length > 0) && DateTime.UtcNow < deadline && !process.HasExited) await Task.Delay(100);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var errors = await stderr;
        Assert.True(process.ExitCode == 130, errors);
        Assert.Contains("--resume", errors);
        Assert.True(TrainingCheckpoint.Read(output).Iteration >= 1);
    }

    [Fact]
    public void NewRunWithoutConfigIsRefusedInOneLine()
    {
        var result = CliRunner.Run("train", "--data", _data.Spec, "--out", _data.NewDirectory());
        CliAssert.OneLineError(result, "--config is required for a new run");
    }

    [Fact]
    public void ResumeRefusesAChangedBatchSize()
    {
        var output = _data.NewDirectory();
        Assert.Equal(0, CliRunner.Run("train", "--config", _data.ConfigFile, "--data", _data.Spec, "--out", output, "--iterations", "1", "--batch", "2", "--workers", "1").ExitCode);
        var result = CliRunner.Run("train", "--resume", output, "--data", _data.Spec, "--iterations", "2", "--batch", "4");
        Assert.Equal(CliExit.InputError, result.ExitCode);
        CliAssert.OneLineError(result, $"{output}: the batch size cannot change when a run is resumed (the run has 2, asked for 4)");
    }

    [Fact]
    public void InitFromATorchvisionCheckpointTakesTheDataClassesAndSaysWhichLayersStartAnew()
    {
        var checkpoint = Fixtures.SharedTorchvisionCheckpoint()!;
        var output = _data.NewDirectory();
        var result = CliRunner.Run("train", "--init", checkpoint, "--data", _data.Spec, "--out", output,
            "--iterations", "1", "--batch", "1", "--workers", "1", "--lr", "0.0001");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("(Torchvision): loaded 59 of the network's 71 tensors", result.Stderr);
        Assert.Contains("re-initialised (not in tv_ssd300_vgg16_seed0_fp16.pth with this shape): conf.0, conf.1, conf.2, conf.3, conf.4, conf.5", result.Stderr);
        var (config, _) = SsdSharp.Weights.ModelFile.Load(Path.Combine(output, "model.safetensors"));
        Assert.Equal("torchvision300", config.Name);
        Assert.Equal(SsdPresets.ShapeClasses.Order(), config.ClassNames.Order());
    }

    [Fact]
    public void InitIsRefusedWithResumeOrBase()
    {
        var checkpoint = Fixtures.SharedTorchvisionCheckpoint()!;
        var withBase = CliRunner.Run("train", "--init", checkpoint, "--base", checkpoint, "--data", _data.Spec, "--out", _data.NewDirectory());
        Assert.Equal(CliExit.InputError, withBase.ExitCode);
        Assert.Contains("--init brings its own base", withBase.Stderr);
        var withResume = CliRunner.Run("train", "--init", checkpoint, "--resume", _data.NewDirectory(), "--data", _data.Spec);
        CliAssert.OneLineError(withResume, "--init starts a new run; leave it out with --resume");
    }

    private static class CliExit
    {
        public const int InputError = 2;
    }
}
