using System.Runtime.InteropServices;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Deployment;

/// <summary>
/// The <c>ssd</c> .NET tool as a user gets it: packed from the repository, installed with
/// <c>dotnet tool install</c> from the packed folder, then run with its bundled model.
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
}
