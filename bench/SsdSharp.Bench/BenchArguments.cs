namespace SsdSharp.Bench;

/// <summary>Command-line options and shared files of the benchmark modes.</summary>
internal static class BenchArguments
{
    /// <summary>The value after <paramref name="name"/>, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary><c>shared/<paramref name="relative"/></c> in a folder above the executable (the worktree's <c>../shared</c>).</summary>
    public static string FindSharedFile(string relative) => FindAbove(Path.Combine("shared", relative));

    /// <summary>The file or folder <paramref name="relative"/> in the nearest folder above the executable that has it.</summary>
    public static string FindAbove(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}; pass it explicitly");
    }
}
