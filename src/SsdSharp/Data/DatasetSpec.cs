namespace SsdSharp.Data;

/// <summary>
/// Where a dataset lives, as written on the command line: <c>VOC:ROOT[,ROOT…]</c> (several VOC roots read
/// as one, e.g. VOC2007 and VOC2012) or <c>COCO:ANNOTATIONS.json[:IMAGES_DIR]</c> (images default to the
/// folder of the json file).
/// </summary>
/// <param name="Format">The layout.</param>
/// <param name="Paths">VOC: the roots (each holding <c>Annotations/</c>); COCO: the one annotation file.</param>
/// <param name="ImagesDirectory">COCO only: the folder that <c>file_name</c> is relative to; null for VOC.</param>
public sealed record DatasetSpec(DatasetFormat Format, IReadOnlyList<string> Paths, string? ImagesDirectory = null)
{
    private const string Expected = "expected VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR]";

    /// <summary>The folders of a VOC root that hold its annotations, splits and images.</summary>
    private static readonly string[] VocLayout = ["Annotations", "ImageSets", "JPEGImages"];

    /// <summary>A VOC spec over one or more roots.</summary>
    public static DatasetSpec Voc(params string[] roots) => new(DatasetFormat.Voc, roots);

    /// <summary>A COCO spec; <paramref name="imagesDirectory"/> defaults to the folder of <paramref name="annotations"/>.</summary>
    public static DatasetSpec Coco(string annotations, string? imagesDirectory = null) =>
        new(DatasetFormat.Coco, [annotations], imagesDirectory ?? Path.GetDirectoryName(Path.GetFullPath(annotations)));

    /// <summary>The COCO annotation file (COCO specs only).</summary>
    public string AnnotationsFile => Format == DatasetFormat.Coco ? Paths[0] : throw new InvalidOperationException("not a COCO spec");

    /// <summary>
    /// The folders whose every file belongs to the dataset, so that nothing of the user's is written in them: for VOC,
    /// <c>Annotations/</c>, <c>ImageSets/</c> and <c>JPEGImages/</c> of each root. None for COCO: its images folder is
    /// by default the annotation file's, which may hold anything, so there only the images read are the dataset's.
    /// </summary>
    public IReadOnlyList<string> InputFolders =>
        Format == DatasetFormat.Voc ? Paths.SelectMany(root => VocLayout.Select(folder => Path.Combine(root, folder))).ToArray() : [];

    /// <summary>Parses <c>VOC:ROOT[,ROOT…]</c> or <c>COCO:ANNOTATIONS.json[:IMAGES_DIR]</c> (the prefix in any case).</summary>
    /// <exception cref="SsdInputException">The text has neither form; the message quotes it and the expected forms.</exception>
    public static DatasetSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':');
        if (colon < 0) throw new SsdInputException($"dataset '{text}': no format prefix; {Expected}");
        var prefix = text[..colon];
        var rest = text[(colon + 1)..];
        if (prefix.Equals("VOC", StringComparison.OrdinalIgnoreCase))
        {
            var roots = rest.Split(',', StringSplitOptions.TrimEntries);
            if (roots.Any(r => r.Length == 0)) throw new SsdInputException($"dataset '{text}': empty VOC root; {Expected}");
            return Voc(roots);
        }
        if (prefix.Equals("COCO", StringComparison.OrdinalIgnoreCase))
        {
            // The file name ends in .json; anything after ".json:" is the image folder, which may itself contain colons.
            int end = FindJsonEnd(rest);
            if (end < 0) throw new SsdInputException($"dataset '{text}': the COCO annotation file must end in .json; {Expected}");
            var annotations = rest[..end];
            var images = end < rest.Length ? rest[(end + 1)..] : null;
            if (images is { Length: 0 }) throw new SsdInputException($"dataset '{text}': empty IMAGES_DIR after ':'; {Expected}");
            return Coco(annotations, images);
        }
        throw new SsdInputException($"dataset '{text}': unknown format '{prefix}'; {Expected}");
    }

    private static int FindJsonEnd(string rest)
    {
        for (int i = rest.IndexOf(".json", StringComparison.OrdinalIgnoreCase); i >= 0;
             i = rest.IndexOf(".json", i + 1, StringComparison.OrdinalIgnoreCase))
        {
            int end = i + ".json".Length;
            if (end == rest.Length || rest[end] == ':') return i == 0 ? -1 : end;
        }
        return -1;
    }

    /// <summary>Value equality, paths compared in order.</summary>
    public bool Equals(DatasetSpec? other) =>
        other is not null && Format == other.Format && ImagesDirectory == other.ImagesDirectory && Paths.SequenceEqual(other.Paths);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Format, ImagesDirectory, string.Join('\n', Paths));

    /// <summary>The spec in the command-line form that <see cref="Parse"/> reads.</summary>
    public override string ToString() => Format == DatasetFormat.Voc
        ? "VOC:" + string.Join(',', Paths)
        : $"COCO:{Paths[0]}" + (ImagesDirectory is null ? "" : $":{ImagesDirectory}");
}
