using System.Runtime.InteropServices;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Deployment;

/// <summary>
/// The detect-only sample (<c>samples/DetectWithoutLibTorch</c>) references only the SsdSharp core: it
/// runs on ONNX Runtime with no TorchSharp or libtorch file beside it, and publishes small.
/// </summary>
[Collection(PackagingCollection.Name)]
public class DetectWithoutLibTorchTests
{
    private static readonly string SampleProject = RepositoryLayout.Path("samples", "DetectWithoutLibTorch");

    [Fact]
    public void BuiltSampleRunsWithoutAnyLibTorchFile()
    {
        // The sample is built in the tests' configuration.
        var output = Path.Combine(SampleProject, "bin", RepositoryLayout.Configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "detect.dll")), $"the sample is not built at {output}");
        AssertNoTorch(output);
        var result = Run(Path.Combine(output, "detect.dll"));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("shapes300 on onnxruntime", result.Output);
        Assert.Contains("shapes-1.jpg (634x594): ", result.Output);
        Assert.Contains("circle", result.Output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void FrameworkDependentPublishIsAtMost100MegabytesAndRuns()
    {
        var folder = Directory.CreateTempSubdirectory("ssdsharp-publish").FullName;
        try
        {
            var publish = Dotnet("publish", SampleProject, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-o", folder);
            Assert.True(publish.ExitCode == 0, publish.Output);
            AssertNoTorch(folder);
            long bytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Assert.True(bytes <= 100_000_000, $"published {bytes / 1e6:F1} MB");
            var result = Run(Path.Combine(folder, "detect.dll"));
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("circle", result.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertNoTorch(string folder)
    {
        var torch = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(torch.Count == 0, $"libtorch or TorchSharp in {folder}: {string.Join(", ", torch.Take(5))}");
    }

    private static (int ExitCode, string Output) Run(string dll) => Dotnet(dll, RepositoryLayout.Path("samples", "shapes-1.jpg"));

    private static (int ExitCode, string Output) Dotnet(params string[] args) =>
        ProcessRunner.Run("dotnet", args, TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["XDG_CACHE_HOME"] = CliRunner.CacheHome });
}
