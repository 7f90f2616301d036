namespace SsdSharp.Tests.Infrastructure;

/// <summary>Where the repository and this build of it are, for tests that build, pack or run its projects.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder that holds SsdSharp.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (tests/SsdSharp.Tests/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SsdSharp.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no SsdSharp.sln above {AppContext.BaseDirectory}");
    }
}
