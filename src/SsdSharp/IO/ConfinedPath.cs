namespace SsdSharp.IO;

/// <summary>
/// Paths that come from data (a split file's image ids, an annotation's file name) are confined to the
/// folder they are relative to: <c>../../victim</c> or an absolute path in a data file must not make
/// SsdSharp read, or name an output after, a file elsewhere. The check is on the text of the path
/// (<c>..</c> and roots); a symbolic link inside the folder is the owner's own layout and is followed.
/// </summary>
public static class ConfinedPath
{
    /// <summary>Refuses <paramref name="relative"/> when, taken from <paramref name="root"/>, it leads outside it.</summary>
    /// <param name="root">The folder the path is relative to.</param>
    /// <param name="relative">The path from the data.</param>
    /// <param name="source">Where the path was read, for the message (file and line or field).</param>
    /// <exception cref="SsdInputException">The path leads outside <paramref name="root"/>.</exception>
    public static void Check(string root, string relative, string source)
    {
        if (!IsPath(relative)) throw new SsdInputException($"{source}: '{relative}' is not a path (it holds a NUL character)");
        if (!IsInside(root, relative)) throw new SsdInputException($"{source}: '{relative}' leads outside {root}; expected a path inside it");
    }

    /// <summary>Whether <paramref name="relative"/>, taken from <paramref name="root"/>, is a path that stays inside it.</summary>
    public static bool IsInside(string root, string relative)
    {
        if (!IsPath(relative)) return false;
        var fullRoot = Path.GetFullPath(root);
        var inside = Path.GetRelativePath(fullRoot, Path.GetFullPath(relative, fullRoot));
        return !(Path.IsPathRooted(inside) || inside == ".." || inside.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary><paramref name="relative"/> joined to <paramref name="root"/>, after <see cref="Check"/>.</summary>
    /// <exception cref="SsdInputException">The path leads outside <paramref name="root"/>.</exception>
    public static string Combine(string root, string relative, string source)
    {
        Check(root, relative, source);
        return Path.Combine(root, relative);
    }

    /// <summary>Whether the text can name a file at all: no file system takes a NUL, and .NET refuses it with an ArgumentException.</summary>
    private static bool IsPath(string text) => text.IndexOfAny(Path.GetInvalidPathChars()) < 0;
}
