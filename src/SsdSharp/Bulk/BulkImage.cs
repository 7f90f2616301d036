namespace SsdSharp.Bulk;

/// <summary>An image of a bulk job: the file to read and the name its output line carries.</summary>
/// <param name="Path">The file, as it can be opened.</param>
/// <param name="Name">
/// Its name in the output, which also decides its <see cref="Shard"/> and whether a resumed run has done
/// it: the path relative to the input folder it was found in, or the path as given for a file named
/// directly, with <c>/</c> between folders on every system.
/// </param>
public sealed record BulkImage(string Path, string Name)
{
    /// <summary>An image found in <paramref name="folder"/>, named by its path relative to that folder.</summary>
    public static BulkImage InFolder(string folder, string path) =>
        new(path, Portable(System.IO.Path.GetRelativePath(folder, path)));

    /// <summary>An image named directly, named as given.</summary>
    public static BulkImage AsGiven(string path) => new(path, Portable(path));

    private static string Portable(string path) =>
        System.IO.Path.DirectorySeparatorChar == '/' ? path : path.Replace(System.IO.Path.DirectorySeparatorChar, '/');
}
