using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;

namespace SsdSharp.Tests.Training;

/// <summary>
/// <c>ssd train --resume</c>: the command that started a run, repeated with <c>--resume</c> appended,
/// continues it; what cannot continue it is named in one line, and the run is left as it was.
/// </summary>
public sealed class ResumeCommandTests : IClassFixture<TrainCommandTests.TinyDataset>, IClassFixture<ResumeCommandTests.TwoIterationRun>
{
    private readonly TrainCommandTests.TinyDataset _data;
    private readonly TwoIterationRun _run;

    public ResumeCommandTests(TrainCommandTests.TinyDataset data, TwoIterationRun run)
    {
        _data = data;
        _run = run;
        _run.EnsureTrained(data);
    }

    /// <summary>A run of two iterations, trained once for the class; tests that change a run work on a copy.</summary>
    public sealed class TwoIterationRun
    {
        private readonly Lock _lock = new();

        public string Directory { get; private set; } = "";

        public string[] Arguments(TrainCommandTests.TinyDataset data, string output) =>
            ["train", "--config", data.ConfigFile, "--data", data.Spec, "--out", output, "--batch", "2", "--workers", "1", "--checkpoint-every", "1", "--lr", "0.001"];

        public void EnsureTrained(TrainCommandTests.TinyDataset data)
        {
            lock (_lock)
            {
                if (Directory.Length > 0) return;
                var output = data.NewDirectory();
                var result = CliRunner.Run([.. Arguments(data, output), "--iterations", "2"]);
                Assert.True(result.ExitCode == 0, result.Stderr);
                Directory = output;
            }
        }
    }

    /// <summary>Fewer iterations than done, another configuration (named by its first differing field), another seed.</summary>
    [Theory]
    [InlineData("--iterations 1", "the run has done 2 iterations; it cannot be resumed to a total of 1")]
    [InlineData("--config shapes300", "the configuration given is not the run's: 'name' is \"tiny300\" in the run, \"shapes300\" given")]
    [InlineData("--seed 7", "the seed cannot change when a run is resumed (the run has 0, asked for 7)")]
    public void WhatCannotContinueTheRunIsNamedAndTheRunKept(string option, string message)
    {
        var hashes = FileHashes.Of(_run.Directory);
        var result = CliRunner.Run(["train", "--resume", _run.Directory, "--data", _data.Spec, .. option.Split(' ')]);
        CliAssert.OneLineError(result, $"{_run.Directory}: {message}");
        hashes.AssertUnchanged();
    }

    /// <summary>
    /// A checkpoint damaged where the model's finiteness check does not look: NaN momentum would train a NaN model to the
    /// end, and an RNG state libtorch refuses aborted the process with a C++ trace.
    /// </summary>
    [Theory]
    [InlineData("momentum", "NaN or infinite values in momentum.")]
    [InlineData("rng", "rng.torch: not a valid mt19937 state (seeded 0, left 0, next 0); the checkpoint is damaged")]
    public void ADamagedCheckpointIsNamedAndTheRunKept(string damage, string message)
    {
        var copy = _data.NewDirectory();
        System.IO.Directory.CreateDirectory(copy);
        foreach (var file in System.IO.Directory.GetFiles(_run.Directory)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var checkpoint = TrainingCheckpoint.Read(copy).File;
        var (tensors, metadata) = SsdSharp.Weights.SafeTensors.Load(checkpoint);
        var key = damage == "rng" ? "rng.torch" : tensors.Keys.First(k => k.StartsWith("momentum.", StringComparison.Ordinal));
        var data = new byte[tensors[key].Data.Length];
        if (damage == "momentum") Array.Fill(data, (byte)0xFF);
        tensors[key] = new SsdSharp.Weights.HostTensor(tensors[key].DType, tensors[key].Shape, data);
        SsdSharp.Weights.SafeTensors.Save(checkpoint, tensors, metadata);
        var hashes = FileHashes.Of(copy);

        var result = CliRunner.Run(["train", "--resume", copy, "--data", _data.Spec, "--iterations", "3"]);
        CliAssert.OneLineError(result, checkpoint, message);
        hashes.AssertUnchanged();
    }

    [Fact]
    public void ResumeAloneNeedsTheOutputDirectory()
    {
        var result = CliRunner.Run("train", "--data", _data.Spec, "--resume");
        CliAssert.OneLineError(result, "--resume without a directory continues the run of --out DIR");
    }

    [Fact]
    public void TheSameCommandWithResumeAppendedContinuesTheRunAndClearsOrphans()
    {
        var copy = _data.NewDirectory();
        System.IO.Directory.CreateDirectory(copy);
        foreach (var file in System.IO.Directory.GetFiles(_run.Directory)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        // A checkpoint write killed midway (its process is gone), and one in progress (this process is alive).
        var orphan = Path.Combine(copy, $".tiny300-iter0000003.safetensors.999999999.{Guid.NewGuid():N}.tmp");
        var inProgress = Path.Combine(copy, $".tiny300-iter0000003.safetensors.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(orphan, "torn");
        File.WriteAllText(inProgress, "being written");

        var result = CliRunner.Run([.. _run.Arguments(_data, copy), "--iterations", "3", "--resume"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(3, TrainingCheckpoint.Read(copy).Iteration);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(inProgress));
    }
}
