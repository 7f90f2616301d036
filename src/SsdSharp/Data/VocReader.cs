using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using SsdSharp.IO;

namespace SsdSharp.Data;

/// <summary>
/// Reads PASCAL VOC datasets (SPEC §7): for each root, the ids of <c>ImageSets/Main/{split}.txt</c>,
/// their <c>Annotations/{id}.xml</c> and <c>JPEGImages/{id}.jpg</c>. Boxes are the xml's 1-based inclusive
/// values minus 1, as the reference reads them; the image size is the xml's <c>size</c>.
/// </summary>
public static class VocReader
{
    /// <summary>Deepest element nesting read; VOC annotations nest 4 levels (annotation, object, bndbox, xmin).</summary>
    private const int MaxDepth = 64;

    /// <summary>Reads and validates the split <see cref="DatasetReadOptions.Split"/> of one or more VOC roots, in root order.</summary>
    /// <exception cref="SsdInputException">A root or split file is missing, or a class name is unknown.</exception>
    /// <exception cref="DatasetValidationException">A problem in the data under <see cref="ValidationPolicy.Fail"/>.</exception>
    public static AnnotatedDataset Read(IReadOnlyList<string> roots, DatasetReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(options);
        if (roots.Count == 0) throw new SsdInputException("VOC dataset: no root given");
        var entries = roots.SelectMany(root => ReadSplit(root, options.Split).Select(id => (Root: root, Id: id))).ToArray();
        var raws = new RawImage[entries.Length];
        Parallel.For(0, entries.Length, i => raws[i] = Parse(entries[i].Root, entries[i].Id));

        var names = options.ClassNames ?? raws.SelectMany(r => r.Objects).Select(o => o.Name).OfType<string>()
            .Where(n => n != ClassIndex.Background).Distinct().Order(StringComparer.Ordinal).ToArray();
        var classes = new ClassIndex(names);
        var (images, problems) = new AnnotationValidator(classes, options).ValidateAll(raws, []);
        return new AnnotatedDataset(DatasetSpec.Voc([.. roots]), names, images, problems);
    }

    /// <summary>The image ids of a split: the first word of each non-empty line, each naming a file inside the root's <c>Annotations</c>.</summary>
    /// <exception cref="SsdInputException">No such root or split, or an id leads outside the root (<c>../../victim</c>), naming the line.</exception>
    private static IEnumerable<string> ReadSplit(string root, string split)
    {
        if (!Directory.Exists(root)) throw new SsdInputException($"VOC root '{root}': directory not found");
        var folder = Path.Combine(root, "ImageSets", "Main");
        // A split is a list inside the root, as an image id is a file inside it: a path here would read any text file.
        if (split.Length == 0 || split.IndexOfAny(['/', '\\']) >= 0 || split is "." or "..")
            throw new SsdInputException($"split '{split}': expected the name of a list in {folder} (train, val, test …), not a path");
        var file = Path.Combine(folder, split + ".txt");
        InputFile.CheckReadable(file, "a list of image ids");
        if (!File.Exists(file))
        {
            // Class-specific lists (aeroplane_train.txt) are not splits.
            var available = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(n => !n.Contains('_')).Order()
                : Enumerable.Empty<string>();
            throw new SsdInputException($"{file}: split '{split}' not found; splits in this root: {string.Join(", ", available.DefaultIfEmpty("none"))}");
        }
        var annotations = Path.Combine(root, "Annotations");
        return Utf8File.ReadText(file).Split('\n')
            .Select((line, index) => (Text: line.Trim(), Number: index + 1))
            .Where(line => line.Text.Length > 0)
            .Select(line =>
            {
                var id = line.Text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
                ConfinedPath.Check(annotations, id + ".xml", $"{file}, line {line.Number}");
                return id;
            })
            .ToArray();
    }

    /// <summary>Parses one annotation file; malformed content is recorded in the result, not thrown.</summary>
    internal static RawImage Parse(string root, string id)
    {
        var file = Path.Combine(root, "Annotations", id + ".xml");
        var imagePath = Path.Combine(root, "JPEGImages", id + ".jpg");
        if (!File.Exists(file)) return new RawImage(file, id, imagePath, 0, 0, [], Malformed: "annotation file not found");
        XElement annotation;
        try
        {
            // Opening a FIFO would wait for a writer; an empty file is no annotation either.
            if (InputFile.HoldsNoData(file)) return new RawImage(file, id, imagePath, 0, 0, [], Malformed: InputFile.NoData);
            if (DeeperThan(file, MaxDepth))
                return new RawImage(file, id, imagePath, 0, 0, [], Malformed: $"elements nested deeper than {MaxDepth} levels; a VOC annotation has 4");
            annotation = XDocument.Load(file).Root!;
        }
        catch (XmlException e)
        {
            return new RawImage(file, id, imagePath, 0, 0, [], Malformed: $"malformed XML: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A link leading nowhere (which File.Exists does not see), or a file this user may not read.
            return new RawImage(file, id, imagePath, 0, 0, [], Malformed: InputFile.CannotRead(file, e));
        }
        if (annotation.Name != "annotation")
            return new RawImage(file, id, imagePath, 0, 0, [], Malformed: $"root element is <{annotation.Name}>, expected <annotation>");

        // Custom datasets keep other extensions; the xml's filename names the image then, inside JPEGImages.
        var fileName = annotation.Element("filename")?.Value.Trim();
        if (!File.Exists(imagePath) && !string.IsNullOrEmpty(fileName))
        {
            var images = Path.Combine(root, "JPEGImages");
            if (!ConfinedPath.IsInside(images, fileName))
                return new RawImage(file, id, imagePath, 0, 0, [], Malformed: $"<filename> '{fileName}' leads outside {images}");
            if (File.Exists(Path.Combine(images, fileName))) imagePath = Path.Combine(images, fileName);
        }

        var size = annotation.Element("size");
        int width = ReadSize(size?.Element("width")), height = ReadSize(size?.Element("height"));
        var objects = annotation.Elements("object").Select(ParseObject).ToList();
        return new RawImage(file, id, imagePath, width, height, objects);
    }

    /// <summary>
    /// Whether elements nest deeper than <paramref name="limit"/>, found by streaming: building a tree of
    /// 100,000 nested elements takes minutes (each level costs more than the last), reading them does not.
    /// </summary>
    private static bool DeeperThan(string file, int limit)
    {
        // The settings XDocument.Load uses, so that both passes accept the same files.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, MaxCharactersFromEntities = 10_000_000, XmlResolver = null };
        using var reader = XmlReader.Create(file, settings);
        while (reader.Read())
        {
            if (reader.Depth > limit) return true;
        }
        return false;
    }

    private static RawObject ParseObject(XElement element, int index)
    {
        // Whitespace around the text is XML layout; case and inner spaces are part of the name.
        var name = element.Element("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name)) return new RawObject(index, null, 0, 0, 0, 0, Malformed: "<name> missing or empty");
        bool difficult = false;
        var difficultText = element.Element("difficult")?.Value.Trim();
        if (!string.IsNullOrEmpty(difficultText))
        {
            // Any other value is a mistake whose meaning the readers disagree on (the devkit takes every non-zero
            // as difficult, ssd.pytorch only 1): refused rather than guessed.
            if (difficultText is not ("0" or "1"))
                return new RawObject(index, name, 0, 0, 0, 0, Malformed: $"<difficult> '{difficultText}' is not 0 or 1");
            difficult = difficultText == "1";
        }
        var box = element.Element("bndbox");
        if (box is null) return new RawObject(index, name, 0, 0, 0, 0, difficult, Malformed: "<bndbox> missing");
        var values = new double[4];
        string[] tags = ["xmin", "ymin", "xmax", "ymax"];
        for (int k = 0; k < 4; k++)
        {
            var text = box.Element(tags[k])?.Value.Trim();
            if (string.IsNullOrEmpty(text))
                return new RawObject(index, name, 0, 0, 0, 0, difficult, Malformed: $"<bndbox><{tags[k]}> missing");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                return new RawObject(index, name, 0, 0, 0, 0, difficult, Malformed: $"<bndbox><{tags[k]}> '{text}' is not a number");
        }
        // VOC pixels are 1-based and inclusive; the reference subtracts 1 from all four (SPEC §7).
        return new RawObject(index, name, values[0] - 1, values[1] - 1, values[2] - 1, values[3] - 1, difficult);
    }

    /// <summary>A positive whole size, or 0 when absent or invalid (the validator then decides).</summary>
    private static int ReadSize(XElement? element) =>
        double.TryParse(element?.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
        && value >= 1 && value <= int.MaxValue && value == Math.Floor(value) ? (int)value : 0;
}
