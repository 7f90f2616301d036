namespace SsdSharp.IO;

/// <summary>
/// A path with every symbolic link on it resolved (as <c>realpath</c> does), so that two paths can be
/// compared for naming the same file and a folder walk can tell a folder it has already visited.
/// </summary>
public static class CanonicalPath
{
    /// <summary>Links followed on one path before it counts as a loop: Linux's limit (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// The absolute form of <paramref name="path"/> with every link resolved. Parts that do not exist
    /// are kept as they are, so the path of a file still to be written has a canonical form too.
    /// </summary>
    /// <exception cref="SsdInputException">The links on the path form a loop.</exception>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Parts(full).Reverse());
        int links = 0;
        while (pending.TryPop(out var part))
        {
            var next = Path.Combine(current, part);
            // LinkTarget reads the entry itself (lstat), for links to files and to folders alike; null when it is no link.
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new SsdInputException($"{path}: too many levels of symbolic links (a loop)");
            // A relative target is relative to the folder holding the link.
            var resolved = Path.GetFullPath(target, current);
            foreach (var p in Parts(resolved).Reverse()) pending.Push(p);
            current = Path.GetPathRoot(resolved)!;
        }
        return current;
    }

    /// <summary>The canonical form of <paramref name="path"/> (see <see cref="Of"/>), or null when its links form a loop.</summary>
    public static string? TryOf(string path)
    {
        try
        {
            return Of(path);
        }
        catch (SsdInputException)
        {
            return null;
        }
    }

    private static string[] Parts(string fullPath) =>
        fullPath[Path.GetPathRoot(fullPath)!.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
}
