namespace SsdSharp.Bench;

/// <summary>The benchmarks' command-line options (<c>--name value</c> pairs among their arguments) and the shared files they read.</summary>
internal static class BenchArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary><paramref name="args"/> without the option <paramref name="name"/> and its value: the positional ones.</summary>
    public static string[] Without(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i < 0 ? args : [.. args[..i], .. args[Math.Min(i + 2, args.Length)..]];
    }

    /// <summary>Whether the flag <paramref name="name"/> (an option without a value) is given; <paramref name="args"/> loses it.</summary>
    public static bool Flag(ref string[] args, string name)
    {
        int before = args.Length;
        args = [.. args.Where(a => a != name)];
        return args.Length < before;
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
