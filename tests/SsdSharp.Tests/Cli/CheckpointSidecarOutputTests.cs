using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// <c>convert</c> and <c>average</c> read a training checkpoint together with its run's <c>checkpoint.json</c>: they
/// never write over it (that broke <c>train --resume</c> of the run), and they write model files only under a
/// <c>.safetensors</c> name (one named <c>.onnx</c> was then refused by <c>detect</c> as a broken ONNX model).
/// </summary>
public sealed class CheckpointSidecarOutputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A file that is a training checkpoint by its metadata, and its run's sidecar: enough for the commands to tell what
    /// they read, which they check before reading the tensors.
    /// </summary>
    private (string Checkpoint, string Sidecar) Run()
    {
        var checkpoint = _temp.Path("run", "tiny300-iter0000001.safetensors");
        Directory.CreateDirectory(_temp.Path("run"));
        SafeTensors.Save(checkpoint, new Dictionary<string, HostTensor> { ["model.x"] = HostTensor.FromFloat32([1f], 1) },
            new Dictionary<string, string> { ["format"] = ModelFile.TrainingCheckpointFormat });
        return (checkpoint, _temp.Write("{\"format\": \"the run's sidecar\"}", "run", TrainingCheckpoint.SidecarName));
    }

    [Fact]
    public void ConvertAndAverageNeverReplaceTheSidecarOfACheckpointTheyRead()
    {
        var (checkpoint, sidecar) = Run();
        var hashes = FileHashes.Of(_temp.Path("run"));
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", checkpoint, "--output", sidecar), $"--output {sidecar}: is an input of this command");
        CliAssert.OneLineError(CliRunner.Run("average", checkpoint, BundledDetector.ModelPath, "--out", sidecar), $"--out {sidecar}: is an input of this command");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void AModelFileIsWrittenOnlyUnderASafetensorsName()
    {
        var onnx = _temp.Path("conv.onnx");
        CliAssert.OneLineError(CliRunner.Run("convert", "--from", BundledDetector.ModelPath, "--output", onnx), $"--output {onnx}: expected a file name ending in .safetensors");
        CliAssert.OneLineError(CliRunner.Run("average", BundledDetector.ModelPath, BundledDetector.ModelPath, "--out", onnx), $"--out {onnx}: expected a file name ending in .safetensors");
        Assert.False(File.Exists(onnx));
    }
}
