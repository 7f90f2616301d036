using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// A part of ssd that cannot be loaded (an assembly or a native library taken out of the installation) is a
/// fault of the installation: exit code 1 and one line naming what failed to load, no stack trace, not
/// the "bad input" of exit code 2 that a missing assembly's FileNotFoundException used to be reported as.
/// Each case runs a copy of the installation (links to the built files) with one file missing.
/// </summary>
public sealed class InstallationFaultTests : IDisposable
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("libtorch_cpu.so", "summary", "the native library 'LibTorchSharp' (libtorch_cpu.so: cannot open shared object file")]
    [InlineData("libonnxruntime.so", "detect --backend onnxruntime IMAGE", "the native library 'onnxruntime' could not be loaded")]
    [InlineData("SsdSharp.Torch.dll", "summary", "the assembly 'SsdSharp.Torch' TORCH_VERSION is missing")]
    [InlineData("System.CommandLine.dll", "--help", "the assembly 'System.CommandLine' 2.0.0.0 is missing")]
    [InlineData("Spectre.Console.dll", "detect IMAGE", "the assembly 'Spectre.Console' is missing")]
    public void APartThatFailsToLoadIsNamedInOneLineWithExitCode1(string missing, string args, string message)
    {
        // SsdSharp's assembly versions come from git (MinVer), so the expected one is read from the build.
        message = message.Replace("TORCH_VERSION", typeof(SsdSharp.Inference.LibTorchBackend).Assembly.GetName().Version!.ToString());
        var installation = InstallationWithout(missing);
        var hashes = FileHashes.Of(Image);
        var result = CliRunner.RunInstalledAt(installation, args.Replace("IMAGE", Image).Split(' '));
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}, expected 1; stderr:\n{result.Stderr}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("ssd: error: ", line);
        Assert.Contains(message, line);
        Assert.EndsWith("ssd's installation is incomplete or damaged (reinstall it)", line);
        hashes.AssertUnchanged();
    }

    [Fact]
    public void AMissingInputFileIsStillBadInput()
    {
        // The file system's FileNotFoundException names the full path; the binder's names an assembly.
        var weights = _temp.Path("missing.safetensors");
        CliAssert.OneLineError(CliRunner.Run("detect", "--weights", weights, Image), weights);
    }

    /// <summary>
    /// A folder that links to every built file but <paramref name="missing"/>; ssd.dll itself is copied, since
    /// the host looks for the rest beside the file at the end of its links.
    /// </summary>
    private string InstallationWithout(string missing)
    {
        var folder = _temp.Folder("installation");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, missing)), $"{missing} is not in the build output");
        foreach (var entry in Directory.EnumerateFileSystemEntries(AppContext.BaseDirectory))
        {
            var name = Path.GetFileName(entry);
            var target = Path.Combine(folder, name);
            if (name == missing) continue;
            if (name == "ssd.dll") File.Copy(entry, target);
            else File.CreateSymbolicLink(target, entry);
        }
        return folder;
    }
}
