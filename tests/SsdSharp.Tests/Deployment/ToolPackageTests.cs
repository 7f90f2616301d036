using System.IO.Compression;
using System.Runtime.InteropServices;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Deployment;

/// <summary>
/// The <c>ssd</c> .NET tool as a user gets it: packed from the repository, installed with
/// <c>dotnet tool install</c> from the packed folder, then run with its bundled models; and packed for every platform
/// libtorch-cpu has.
/// </summary>
[Collection(PackagingCollection.Name)]
public class ToolPackageTests
{
    /// <summary>nuget.org takes packages up to 250 MB; libtorch makes the platform package the large one.</summary>
    private const long MaxPackageBytes = 250L << 20;

    [Fact]
    [Trait("Category", "Slow")]
    public void ToolInstallsFromThePackedFolderAndDetectsWithTheBundledModel()
    {
        using var feed = new LocalFeed();
        // The tool's own build and publish folders go to the temporary folder too.
        feed.Pack(Path.Combine("src", "SsdSharp.Cli"), $"-p:SsdToolBuildPath={Path.Combine(feed.Folder, "build")}");
        var version = feed.Version("SsdSharp.Cli");
        var platformPackage = new FileInfo(feed.Package($"SsdSharp.Cli.{RuntimeInformation.RuntimeIdentifier}"));
        Assert.True(platformPackage.Length <= MaxPackageBytes, $"{platformPackage.Name}: {platformPackage.Length / 1e6:F0} MB");

        var tools = Path.Combine(feed.Folder, "tools");
        var install = feed.Dotnet("tool", "install", "--tool-path", tools, "--configfile", feed.ConfigFile,
            "--add-source", feed.Source, "SsdSharp.Cli", "--version", version);
        Assert.True(install.ExitCode == 0, install.Output);
        var ssd = Path.Combine(tools, "ssd");

        var versionRun = feed.Run(ssd, "--version");
        Assert.True(versionRun.ExitCode == 0, versionRun.Output);
        Assert.StartsWith(version, versionRun.Output.Trim());

        // No --weights: the bundled model inside the installed package (beside the tool's ssd.dll).
        var detect = feed.Run(ssd, "detect", "--format", "text", "--conf-threshold", "0.3", RepositoryLayout.Path("samples", "shapes-1.jpg"));
        Assert.True(detect.ExitCode == 0, detect.Output);
        Assert.Contains("shapes-1.jpg (634×594)", detect.Output);
        Assert.Contains("circle", detect.Output);

        // The second bundled model by its name: the folder it lies in is the tool store's, unknown to the user.
        var small = feed.Run(ssd, "detect", "--weights", "shapes512", "--format", "text", "--conf-threshold", "0.5", RepositoryLayout.Path("samples", "shapes-1.jpg"));
        Assert.True(small.ExitCode == 0, small.Output);
        Assert.Contains("7 detection(s)", small.Output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ToolPacksForEveryPlatformOfLibTorchWithThatPlatformsNativesOnly()
    {
        // Each platform's libtorch and ONNX Runtime, and no other platform's native libraries.
        (string Rid, string[] Natives, string[] Foreign)[] platforms =
        [
            ("linux-x64", ["libtorch_cpu.so", "libLibTorchSharp.so", "libonnxruntime.so", "libSkiaSharp.so"], [".dylib", "torch_cpu.dll"]),
            ("win-x64", ["torch_cpu.dll", "LibTorchSharp.dll", "onnxruntime.dll", "libSkiaSharp.dll"], [".so", ".dylib"]),
            ("osx-arm64", ["libtorch_cpu.dylib", "libLibTorchSharp.dylib", "libonnxruntime.dylib", "libSkiaSharp.dylib"], [".so", "torch_cpu.dll"]),
        ];
        using var feed = new LocalFeed();
        // The quotes reach MSBuild, so that the semicolons stay in the value (README, "Packages").
        feed.Pack(Path.Combine("src", "SsdSharp.Cli"), $"-p:SsdToolRuntimeIdentifiers=\"{string.Join(';', platforms.Select(p => p.Rid))}\"",
            $"-p:SsdToolBuildPath={Path.Combine(feed.Folder, "build")}");
        using (var pointer = ZipFile.OpenRead(feed.Package("SsdSharp.Cli")))
        {
            using var settings = new StreamReader(pointer.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
            var text = settings.ReadToEnd();
            foreach (var (rid, _, _) in platforms) Assert.Contains($"Id=\"SsdSharp.Cli.{rid}\"", text);
        }
        foreach (var (rid, natives, foreign) in platforms)
        {
            var package = feed.Package($"SsdSharp.Cli.{rid}");
            Assert.True(new FileInfo(package).Length <= MaxPackageBytes, $"{rid}: {new FileInfo(package).Length / 1e6:F0} MB");
            using var zip = ZipFile.OpenRead(package);
            var files = zip.Entries.Where(e => e.FullName.StartsWith($"tools/net10.0/{rid}/", StringComparison.Ordinal)).Select(e => e.Name).ToHashSet();
            Assert.All(natives.Append("ssd.dll").Append("shapes300.safetensors").Append("shapes512.safetensors"), f => Assert.Contains(f, files));
            Assert.DoesNotContain(files, f => foreign.Any(f.EndsWith));
        }
    }
}
