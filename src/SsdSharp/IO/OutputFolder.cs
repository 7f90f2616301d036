namespace SsdSharp.IO;

/// <summary>
/// A folder a command writes many files into (a training run, a synthetic dataset, drawings, charts).
/// SsdSharp writes only into a folder that is new, empty, or one it made before (it leaves the marker
/// file <see cref="MarkerName"/> in the folders it makes): a folder of the user's that already holds files
/// is refused unless forced, so that a wrong <c>--out</c> cannot replace someone's <c>model.safetensors</c>
/// or photographs. Paths inside it are confined to it.
/// </summary>
public sealed class OutputFolder
{
    /// <summary>The marker file SsdSharp leaves in a folder it made.</summary>
    public const string MarkerName = ".ssd-output";

    private OutputFolder(string path) => Path = path;

    /// <summary>The folder, as given.</summary>
    public string Path { get; }

    /// <summary>
    /// Checks and prepares <paramref name="path"/> for writing: creates it (with the marker) when new, marks it
    /// when empty, and proves that it can be written.
    /// </summary>
    /// <param name="what">The option or role that names the folder ("--out"), for messages.</param>
    /// <param name="path">The folder.</param>
    /// <param name="force">Accept a non-empty folder SsdSharp did not make (its files of the same names are then replaced).</param>
    /// <exception cref="SsdInputException">An empty path, a file, a folder of the user's that holds files, or a folder that cannot be written.</exception>
    public static OutputFolder Prepare(string what, string path, bool force)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SsdInputException($"{what}: empty path; expected a folder");
        if (File.Exists(path)) throw new SsdInputException($"{what} {path}: is a file; expected a folder");
        OutputLocation.CheckCreatable(what, path);
        var marker = System.IO.Path.Combine(path, MarkerName);
        OutputLocation.Writing(what, path, () =>
        {
            if (File.Exists(marker) || !Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any())
            {
                AtomicFile.WriteAllText(marker, "ssd (SsdSharp) writes its outputs into this folder; it writes here again without --force.\n");
                return;
            }
            if (!force)
                throw new SsdInputException($"{what} {path}: the folder holds files that ssd did not write; choose a new or empty folder, or add --force to write into it (files of the same names are replaced)");
            AtomicFile.ProbeWritable(path);
        });
        return new OutputFolder(path);
    }

    /// <summary>The path of <paramref name="relative"/> inside the folder.</summary>
    /// <exception cref="SsdInputException"><paramref name="relative"/> leads outside the folder.</exception>
    public string Combine(string relative) => ConfinedPath.Combine(Path, relative, Path);
}
