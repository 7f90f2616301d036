using SsdSharp.Inference;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary><c>--device</c> on the commands that run a network, on a machine without a usable GPU (CI).</summary>
public class DeviceOptionTests
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");

    [Theory]
    [InlineData("auto", ComputeDeviceKind.Auto, 0)]
    [InlineData("CPU", ComputeDeviceKind.Cpu, 0)]
    [InlineData("cuda", ComputeDeviceKind.Cuda, 0)]
    [InlineData("cuda:3", ComputeDeviceKind.Cuda, 3)]
    public void DeviceNamesParse(string text, ComputeDeviceKind kind, int index) =>
        Assert.Equal(new ComputeDevice(kind, index), ComputeDevice.Parse(text));

    [Fact]
    public void AutoRunsOnTheCpuWhenThereIsNoGpu()
    {
        Assert.Equal(0, Devices.CudaDeviceCount);
        Assert.Equal(ComputeDevice.Cpu, Devices.Describe(Devices.Resolve(ComputeDevice.Auto)));
        var result = CliRunner.Run("detect", "--device", "auto", "--format", "text", Image);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("detection(s)", result.Stdout);
        // Nothing from libtorch either (NNPACK's "Unsupported hardware" on CPUs its cpuinfo does not know).
        Assert.Equal("", result.Stderr);
    }

    [Theory]
    [InlineData("detect")]
    [InlineData("eval")]
    [InlineData("train")]
    public void AskingForCudaWithoutOneIsOneLineSayingWhatToInstall(string command)
    {
        string[] args = command switch
        {
            "detect" => ["detect", "--device", "cuda", Image],
            "eval" => ["eval", "--device", "cuda:1", "--data", $"VOC:{Fixtures.TestData("evaluation", "case_a", "voc")}"],
            _ => ["train", "--device", "cuda", "--config", "shapes300", "--data", $"VOC:{Fixtures.TestData("evaluation", "case_a", "voc")}",
                  "--out", Path.Combine(Path.GetTempPath(), $"ssd-device-{Guid.NewGuid():N}")],
        };
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("CUDA is not available", lines[0]);
        Assert.Contains("docs/gpu.md", lines[0]);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("cpu")]
    public void BFloat16OnTheCpuWarnsWhereTheCpuWouldEmulateIt(string device)
    {
        // On a CPU with native bfloat16 there is nothing to warn of; elsewhere the default device (auto, no GPU here) warns as cpu does.
        Assert.Equal(0, Devices.CudaDeviceCount);
        var missing = Path.Combine(Path.GetTempPath(), $"ssd-missing-{Guid.NewGuid():N}.jpg");
        var result = CliRunner.Run("detect", "--device", device, "--dtype", "bfloat16", missing);
        Assert.Equal(2, result.ExitCode);
        string[] expected = CpuInfo.Current.BFloat16Warning is { } warning
            ? [$"ssd: warning: {warning}", $"ssd: error: {missing}: no such file or folder"]
            : [$"ssd: error: {missing}: no such file or folder"];
        Assert.Equal(expected, result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AnUnknownDeviceIsNamed()
    {
        var result = CliRunner.Run("detect", "--device", "gpu", Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected auto, cpu, cuda or cuda:N, got 'gpu'", result.Stderr);
    }
}
