using Spectre.Console;
using SsdSharp.IO;

namespace SsdSharp.Cli;

/// <summary>Expands command-line inputs (image files and folders) into image paths.</summary>
internal static class ImageInputs
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif",
    };

    private const string ImageFile = "an image file";

    /// <summary>
    /// Files as given; folders as their image files (recursively, sorted by path). Each file and each folder
    /// is taken once, however many paths and links lead to it, so that a link loop ends. FIFOs and devices
    /// are refused before anything waits on them. When files or folders were reached again, one line on the
    /// error stream says how many, so that fewer results than inputs never come without a word. An image in a
    /// folder that is a link leading nowhere is kept, for its reader to report; a named one is refused.
    /// </summary>
    /// <exception cref="SsdInputException">An input does not exist or cannot be read, is no regular file, or a folder holds no image.</exception>
    public static List<string> Expand(IEnumerable<string> inputs)
    {
        var paths = new List<string>();
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        int filesAgain = 0, foldersAgain = 0;
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var images = new List<string>();
                int before = foldersAgain;
                Walk(input, folders, images, ref foldersAgain);
                // A folder whose images were all taken already (given twice, or inside one given before) is a repeat.
                if (images.Count == 0 && foldersAgain == before) throw new SsdInputException($"{input}: folder holds no image ({string.Join(", ", Extensions)})");
                images.Sort(StringComparer.Ordinal);
                foreach (var image in images)
                {
                    if (files.Add(FolderImageIdentity(image))) paths.Add(image);
                    else filesAgain++;
                }
            }
            else if (File.Exists(input))
            {
                InputFile.CheckReadable(input, ImageFile);
                if (files.Add(CanonicalPath.Of(input))) paths.Add(input);
                else filesAgain++;
            }
            else
            {
                throw new SsdInputException($"{input}: no such file or folder");
            }
        }
        if (paths.Count == 0) throw new SsdInputException("no input images given");
        var again = new List<string>();
        if (filesAgain > 0) again.Add($"{filesAgain} image file(s)");
        if (foldersAgain > 0) again.Add($"{foldersAgain} folder(s)");
        if (again.Count > 0)
            Terminal.Error.MarkupLineInterpolated($"[grey]note: {string.Join(" and ", again)} reached again by another path or link, read once: {paths.Count} image(s)[/]");
        return paths;
    }

    /// <summary>
    /// Adds the image files under <paramref name="folder"/>, entering each folder (by its canonical path) once;
    /// <paramref name="foldersAgain"/> counts the folders met again.
    /// </summary>
    private static void Walk(string folder, HashSet<string> visited, List<string> images, ref int foldersAgain)
    {
        if (!visited.Add(CanonicalPath.Of(folder)))
        {
            foldersAgain++;
            return;
        }
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(folder);
        }
        catch (UnauthorizedAccessException)
        {
            throw new SsdInputException($"{folder}: cannot read the folder (permission denied)");
        }
        foreach (var entry in entries)
        {
            if (Directory.Exists(entry))
            {
                Walk(entry, visited, images, ref foldersAgain);
            }
            else if (Extensions.Contains(Path.GetExtension(entry)) && File.Exists(entry))
            {
                images.Add(entry);
            }
        }
    }

    /// <summary>
    /// What tells an image of a folder met twice: its canonical path (a link loop, which has none, is known by its own).
    /// A FIFO, device or empty file is refused before anything opens it; a link that leads nowhere is kept, that image's
    /// problem to report with the others' results (as a damaged image is), not a reason to stop. The path's links are
    /// resolved once for both: a folder may hold a million images.
    /// </summary>
    /// <exception cref="SsdInputException">The image is a FIFO, socket, device or empty file.</exception>
    private static string FolderImageIdentity(string image)
    {
        if (CanonicalPath.TryOf(image) is not { } canonical) return Path.GetFullPath(image);
        if (InputFile.ReportsNoData(canonical)) throw new SsdInputException($"{image}: {InputFile.NoData}; expected {ImageFile}");
        return canonical;
    }
}
