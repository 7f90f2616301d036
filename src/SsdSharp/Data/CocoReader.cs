using System.Globalization;
using System.Text.Json;
using SsdSharp.IO;

namespace SsdSharp.Data;

/// <summary>
/// Reads COCO detection files (<c>instances_*.json</c>, SPEC §7): <c>images</c> (every image kept, with or
/// without annotations), <c>annotations</c> (<c>bbox = [x, y, w, h]</c> becomes (x, y, x + w, y + h);
/// <c>iscrowd</c> becomes <see cref="ObjectAnnotation.Crowd"/>; <c>area</c> is kept) and <c>categories</c>,
/// whose ids need not be contiguous: each category is matched to its class by name.
/// </summary>
public static class CocoReader
{
    /// <summary>Reads and validates one COCO annotation file.</summary>
    /// <param name="annotationsFile">The json file.</param>
    /// <param name="imagesDirectory">Folder that <c>file_name</c> is relative to; null for the json's own folder.</param>
    /// <param name="options">Classes, kept objects and problem policy (<see cref="DatasetReadOptions.Split"/> is not used).</param>
    /// <exception cref="SsdInputException">The file is missing or not valid COCO JSON, or a category name is not a known class.</exception>
    /// <exception cref="DatasetValidationException">A problem in the data under <see cref="ValidationPolicy.Fail"/>.</exception>
    public static AnnotatedDataset Read(string annotationsFile, string? imagesDirectory, DatasetReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(annotationsFile);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(annotationsFile)) throw new SsdInputException($"{annotationsFile}: COCO annotation file not found");
        imagesDirectory ??= Path.GetDirectoryName(Path.GetFullPath(annotationsFile))!;

        using var document = ParseJson(annotationsFile);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Malformed(annotationsFile, "the top level is not a JSON object");

        var categories = ReadCategories(annotationsFile, root);
        var names = options.ClassNames ?? categories.Select(c => c.Name).Where(n => n != ClassIndex.Background).ToArray();
        var classes = new ClassIndex(names);
        var categoryIds = new long[names.Count];
        foreach (var (id, name, index) in categories)
        {
            if (!classes.TryGetId(name, out int classId))
                throw Malformed(annotationsFile, $"categories[{index}] (id {id}): {classes.UnknownMessage(name)}");
            categoryIds[classId - 1] = id;
        }
        var categoryNames = categories.ToDictionary(c => c.Id, c => c.Name);

        var raws = ReadImages(annotationsFile, root, imagesDirectory);
        var rawById = new Dictionary<long, RawImage>(raws.Count);
        foreach (var raw in raws)
        {
            if (!rawById.TryAdd(raw.CocoId!.Value, raw)) throw Malformed(annotationsFile, $"image id {raw.CocoId} appears twice in 'images'");
        }
        var orphans = new List<DatasetProblem>();
        if (root.TryGetProperty("annotations", out var annotations))
        {
            if (annotations.ValueKind != JsonValueKind.Array) throw Malformed(annotationsFile, "'annotations' is not an array");
            int index = 0;
            foreach (var a in annotations.EnumerateArray())
            {
                AddAnnotation(annotationsFile, a, index++, rawById, categoryNames, options.Policy, orphans);
            }
        }
        var (images, problems) = new AnnotationValidator(classes, options).ValidateAll(raws, orphans);
        return new AnnotatedDataset(DatasetSpec.Coco(annotationsFile, imagesDirectory), names, images, problems, categoryIds);
    }

    private static JsonDocument ParseJson(string file)
    {
        try
        {
            return JsonDocument.Parse(Utf8File.ReadJson(file), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Malformed(file, $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
        }
    }

    /// <summary>The categories in ascending id order (the COCO convention maps them to 1…K in that order).</summary>
    private static List<(long Id, string Name, int Index)> ReadCategories(string file, JsonElement root)
    {
        if (!root.TryGetProperty("categories", out var array) || array.ValueKind != JsonValueKind.Array)
            throw Malformed(file, "'categories' array missing");
        var categories = new List<(long Id, string Name, int Index)>();
        int index = 0;
        foreach (var c in array.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object || !TryGetLong(c, "id", out long id) || !TryGetString(c, "name", out var name))
                throw Malformed(file, $"categories[{index}]: expected an object with a whole 'id' and a 'name'");
            categories.Add((id, name, index++));
        }
        var duplicateId = categories.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicateId != null) throw Malformed(file, $"category id {duplicateId.Key} appears twice");
        var duplicateName = categories.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicateName != null) throw Malformed(file, $"category name '{duplicateName.Key}' appears twice");
        return categories.OrderBy(c => c.Id).ToList();
    }

    private static List<RawImage> ReadImages(string file, JsonElement root, string imagesDirectory)
    {
        if (!root.TryGetProperty("images", out var array) || array.ValueKind != JsonValueKind.Array)
            throw Malformed(file, "'images' array missing");
        var raws = new List<RawImage>(array.GetArrayLength());
        int index = 0;
        foreach (var image in array.EnumerateArray())
        {
            if (image.ValueKind != JsonValueKind.Object || !TryGetLong(image, "id", out long id) || !TryGetString(image, "file_name", out var fileName))
                throw Malformed(file, $"images[{index}]: expected an object with a whole 'id' and a 'file_name'");
            // A missing or invalid size is 0 here; the validator takes it from the image or skips the image.
            int width = TryGetLong(image, "width", out long w) && w is > 0 and <= int.MaxValue ? (int)w : 0;
            int height = TryGetLong(image, "height", out long h) && h is > 0 and <= int.MaxValue ? (int)h : 0;
            var imagePath = ConfinedPath.Combine(imagesDirectory, fileName, $"{file}: images[{index}].file_name");
            raws.Add(new RawImage(file, id.ToString(CultureInfo.InvariantCulture), imagePath, width, height, [], id));
            index++;
        }
        return raws;
    }

    /// <summary>Adds one annotation to its image; one that names no known image is reported as an orphan.</summary>
    private static void AddAnnotation(string file, JsonElement a, int index, Dictionary<long, RawImage> images,
        Dictionary<long, string> categories, ValidationPolicy policy, List<DatasetProblem> orphans)
    {
        if (a.ValueKind != JsonValueKind.Object || !TryGetLong(a, "image_id", out long imageId) || !images.TryGetValue(imageId, out var image))
        {
            var message = a.ValueKind == JsonValueKind.Object && a.TryGetProperty("image_id", out var value)
                ? $"image_id {value.GetRawText()} is not in 'images'"
                : "no whole 'image_id'";
            orphans.Add(new DatasetProblem(file, null, index, message, policy == ValidationPolicy.Fail ? ProblemAction.Failed : ProblemAction.ObjectSkipped));
            return;
        }
        bool? crowdFlag = a.TryGetProperty("iscrowd", out var c) ? CrowdFlag(c) : false;
        bool crowd = crowdFlag == true;
        double? area = a.TryGetProperty("area", out var ar) && ar.ValueKind == JsonValueKind.Number ? ar.GetDouble() : null;
        string? name = TryGetLong(a, "category_id", out long categoryId) && categories.TryGetValue(categoryId, out var n) ? n : null;
        string? malformed = name is null
            ? (a.TryGetProperty("category_id", out var cid) ? $"category_id {cid.GetRawText()} is not in 'categories'" : "no 'category_id'")
            : null;
        double[] box = new double[4];
        if (malformed is null && crowdFlag is null) malformed = $"'iscrowd' {c.GetRawText()} is not 0 or 1";
        if (malformed is null && !TryGetBox(a, box)) malformed = "'bbox' is not 4 numbers [x, y, w, h]";
        image.Objects.Add(malformed != null
            ? new RawObject(index, name, 0, 0, 0, 0, Crowd: crowd, Area: area, Malformed: malformed)
            : new RawObject(index, name, box[0], box[1], box[0] + box[2], box[1] + box[3], Crowd: crowd, Area: area));
    }

    /// <summary>
    /// <c>iscrowd</c> as 0/1 (or false/true); null for anything else, which pycocotools would take as crowd when
    /// non-zero and ssd.pytorch-style readers as not: a mistake in the file, refused rather than guessed.
    /// </summary>
    private static bool? CrowdFlag(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt32(out int flag) && flag is 0 or 1 => flag == 1,
        _ => null,
    };

    private static bool TryGetBox(JsonElement a, double[] box)
    {
        if (!a.TryGetProperty("bbox", out var bbox) || bbox.ValueKind != JsonValueKind.Array || bbox.GetArrayLength() != 4) return false;
        int k = 0;
        foreach (var v in bbox.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number) return false;
            box[k++] = v.GetDouble();
        }
        return true;
    }

    private static bool TryGetLong(JsonElement e, string name, out long value)
    {
        value = 0;
        return e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out value);
    }

    private static bool TryGetString(JsonElement e, string name, out string value)
    {
        value = e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        return value.Length > 0;
    }

    /// <summary>A problem of the whole file: no policy can read past it.</summary>
    private static DatasetValidationException Malformed(string file, string message) =>
        new(new DatasetProblem(file, null, null, message, ProblemAction.Failed));
}
