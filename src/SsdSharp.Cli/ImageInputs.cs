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
    /// are refused before anything waits on them. When some inputs are files already taken, one line on the
    /// error stream says how many, so that fewer results than inputs never come without a word.
    /// </summary>
    /// <exception cref="SsdInputException">An input does not exist or cannot be read, is no regular file, or a folder holds no image.</exception>
    public static List<string> Expand(IEnumerable<string> inputs)
    {
        var paths = new List<string>();
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        int found = 0;
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var images = new List<string>();
                Walk(input, folders, images);
                if (images.Count == 0) throw new SsdInputException($"{input}: folder holds no image ({string.Join(", ", Extensions)})");
                images.Sort(StringComparer.Ordinal);
                found += images.Count;
                paths.AddRange(images.Where(p => files.Add(CanonicalPath.Of(p))));
            }
            else if (File.Exists(input))
            {
                InputFile.CheckReadable(input, ImageFile);
                found++;
                if (files.Add(CanonicalPath.Of(input))) paths.Add(input);
            }
            else
            {
                throw new SsdInputException($"{input}: no such file or folder");
            }
        }
        if (paths.Count == 0) throw new SsdInputException("no input images given");
        if (found > paths.Count)
            Terminal.Error.MarkupLineInterpolated(
                $"[grey]note: {found - paths.Count} of {found} input images are files already given by another path or link; each file is read once ({paths.Count} image(s))[/]");
        return paths;
    }

    /// <summary>Adds the image files under <paramref name="folder"/>, entering each folder (by its canonical path) once.</summary>
    private static void Walk(string folder, HashSet<string> visited, List<string> images)
    {
        if (!visited.Add(CanonicalPath.Of(folder))) return;
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
                Walk(entry, visited, images);
            }
            else if (Extensions.Contains(Path.GetExtension(entry)) && File.Exists(entry))
            {
                InputFile.CheckReadable(entry, ImageFile);
                images.Add(entry);
            }
        }
    }
}
