namespace SsdSharp.Bench;

/// <summary>The benchmarks' command-line options: <c>--name value</c> pairs among their arguments.</summary>
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
}
