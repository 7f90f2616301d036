namespace SsdSharp.IO;

/// <summary>
/// Names for files made one per input file (a drawing of each image): the input's path relative to the
/// folder all the inputs share, with another extension. The names are unique: <c>a/x.jpg</c> and
/// <c>b/x.jpg</c> keep their folders, and inputs that differ only in extension keep it
/// (<c>x.jpg.png</c>, <c>x.png.png</c>), so that no output replaces another.
/// </summary>
public static class DerivedFileNames
{
    /// <summary>One relative name per path of <paramref name="paths"/> (which should be distinct files), in order.</summary>
    /// <param name="paths">The input files.</param>
    /// <param name="extension">The extension of the outputs, with its dot (".png").</param>
    public static IReadOnlyList<string> For(IReadOnlyList<string> paths, string extension)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) return [];
        var full = paths.Select(p => Path.GetFullPath(p)).ToArray();
        var common = CommonFolder(full.Select(p => Path.GetDirectoryName(p)!));
        var relative = full.Select(p => Path.GetRelativePath(common, p)).ToArray();
        var names = relative.Select(r => Path.ChangeExtension(r, extension)).ToArray();

        // Case-insensitive, so that the names stay distinct on file systems that ignore case.
        var shared = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            if (shared.Contains(names[i])) names[i] = relative[i] + extension;
        }
        // What is still shared (names that differ only in case) is numbered.
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            var name = names[i];
            for (int k = 2; !used.Add(name); k++) name = Path.ChangeExtension(names[i], null) + $"~{k}" + extension;
            names[i] = name;
        }
        return names;
    }

    /// <summary>The deepest folder that holds all of <paramref name="folders"/> (absolute paths).</summary>
    private static string CommonFolder(IEnumerable<string> folders)
    {
        string? common = null;
        foreach (var folder in folders)
        {
            common = common is null ? folder : Shared(common, folder);
        }
        return common!;
    }

    private static string Shared(string a, string b)
    {
        var x = a.Split(Path.DirectorySeparatorChar);
        var y = b.Split(Path.DirectorySeparatorChar);
        int n = 0;
        while (n < x.Length && n < y.Length && x[n] == y[n]) n++;
        var joined = string.Join(Path.DirectorySeparatorChar, x.Take(n));
        return joined.Length == 0 ? Path.GetPathRoot(a)! : joined;
    }
}
