namespace SsdSharp.Cli;

/// <summary>Expands command-line inputs (image files and folders) into image paths.</summary>
internal static class ImageInputs
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif",
    };

    /// <summary>Files as given; folders as their image files (recursively, sorted by path).</summary>
    /// <exception cref="SsdInputException">An input does not exist, or a folder holds no image.</exception>
    public static List<string> Expand(IEnumerable<string> inputs)
    {
        var paths = new List<string>();
        foreach (var input in inputs)
        {
            if (File.Exists(input))
            {
                paths.Add(input);
            }
            else if (Directory.Exists(input))
            {
                var images = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(p => Extensions.Contains(Path.GetExtension(p))).Order(StringComparer.Ordinal).ToList();
                if (images.Count == 0) throw new SsdInputException($"{input}: folder holds no image ({string.Join(", ", Extensions)})");
                paths.AddRange(images);
            }
            else
            {
                throw new SsdInputException($"{input}: no such file or folder");
            }
        }
        if (paths.Count == 0) throw new SsdInputException("no input images given");
        return paths;
    }
}
