using System.Text.RegularExpressions;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>
/// A temporary folder with a local NuGet feed of packages packed from this repository, and a NuGet
/// configuration for what restores or installs from it: a global packages folder of its own (a package
/// of the same version packed earlier is never taken from the machine's cache, which is never written),
/// the machine's global packages folder as a read-only fallback (TorchSharp and the other dependencies,
/// offline), and the machine's configured sources after the local feed.
/// </summary>
internal sealed class LocalFeed : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public LocalFeed()
    {
        Folder = Directory.CreateTempSubdirectory("ssdsharp-feed").FullName;
        Directory.CreateDirectory(Source);
        File.WriteAllText(ConfigFile, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="ssdsharp-local" value="{Source}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackages.Value}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    /// <summary>The temporary folder; projects created under it use <see cref="ConfigFile"/>.</summary>
    public string Folder { get; }

    /// <summary>The folder the packages are packed into.</summary>
    public string Source => Path.Combine(Folder, "feed");

    public string ConfigFile => Path.Combine(Folder, "nuget.config");

    /// <summary>Packs a project of the repository (path relative to its root) into <see cref="Source"/>.</summary>
    public void Pack(string project, params string[] arguments)
    {
        var result = Dotnet(["pack", RepositoryLayout.Path(project), "-c", RepositoryLayout.Configuration, "-o", Source, .. arguments]);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>The path of the one <c>.nupkg</c> (or <paramref name="extension"/>) of <paramref name="id"/> in the feed.</summary>
    public string Package(string id, string extension = ".nupkg")
    {
        var pattern = new Regex($"^{Regex.Escape(id)}\\.[0-9][^/]*{Regex.Escape(extension)}$");
        var matches = Directory.GetFiles(Source).Where(f => pattern.IsMatch(Path.GetFileName(f))).ToList();
        Assert.True(matches.Count == 1, $"{id}{extension} in {Source}: {string.Join(", ", Directory.GetFiles(Source).Select(Path.GetFileName))}");
        return matches[0];
    }

    /// <summary>The version of the package <paramref name="id"/> in the feed.</summary>
    public string Version(string id) => Path.GetFileNameWithoutExtension(Package(id))[(id.Length + 1)..];

    /// <summary>Runs <c>dotnet</c> with this feed's global packages folder.</summary>
    public (int ExitCode, string Output) Dotnet(params string[] arguments) => Run("dotnet", arguments);

    /// <summary>Runs a program with this feed's global packages folder and the tests' cache folder.</summary>
    public (int ExitCode, string Output) Run(string file, params string[] arguments) =>
        ProcessRunner.Run(file, arguments, Limit, new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(Folder, "packages"),
            ["XDG_CACHE_HOME"] = CliRunner.CacheHome,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        });

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    // Asked once, before any child process gets this feed's NUGET_PACKAGES.
    private static readonly Lazy<string> MachinePackages = new(() =>
    {
        var (exitCode, output) = ProcessRunner.Run("dotnet", ["nuget", "locals", "global-packages", "--list"], TimeSpan.FromMinutes(1));
        var match = Regex.Match(output, @"global-packages:\s*(\S.*?)\s*$", RegexOptions.Multiline);
        Assert.True(exitCode == 0 && match.Success, output);
        return match.Groups[1].Value;
    });
}
