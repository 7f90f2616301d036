using System.Text.Json;
using SsdSharp.Data;
using SsdSharp.Inference;
using SsdSharp.Boxes;
using SsdSharp.IO;

namespace SsdSharp.Evaluation;

/// <summary>
/// Reads precomputed detections for evaluation, in either of two forms (told apart by the first item):
/// the <c>ssd detect</c> JSON form, an array of <c>{image, width, height, detections: [{label, class_id,
/// score, box: [x1, y1, x2, y2]}]}</c> with boxes in 0-based pixels; or a COCO results list, an array of
/// <c>{image_id, category_id, bbox: [x, y, w, h], score}</c>.
/// </summary>
/// <remarks>
/// Images are found by id (COCO image id, or the dataset's image id) and otherwise by file stem, so
/// <c>JPEGImages/000001.jpg</c> finds VOC image <c>000001</c>. Classes are found by label, or by
/// <c>class_id</c> when there is no label; COCO <c>category_id</c>s are the dataset's category ids for
/// COCO data and class ids 1…K for VOC data.
/// </remarks>
public static class DetectionFileReader
{
    /// <summary>Largest magnitude of a score or coordinate: the single-precision range (3.4e38) that <see cref="Detection"/> stores.</summary>
    private const double MaxMagnitude = float.MaxValue;

    /// <summary>Reads a detections file and keys its detections to the images of <paramref name="truth"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="truth">The ground truth the detections refer to.</param>
    /// <returns>Detections keyed by <see cref="ImageAnnotation.Id"/>; images without detections have no entry.</returns>
    /// <exception cref="SsdInputException">The file is missing or malformed, or an item names an unknown image or class; the message names the file and the item.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<Detection>> Read(string path, AnnotatedDataset truth)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(truth);
        if (!File.Exists(path)) throw new SsdInputException($"{path}: detections file not found");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Utf8File.ReadJson(path));
        }
        catch (JsonException e)
        {
            throw new SsdInputException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}; expected an array of detections", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                throw new SsdInputException($"{path}: the top level is a {root.ValueKind}; expected an array (ssd detect form or COCO results list)");

            var context = new Context(path, truth);
            if (root.GetArrayLength() > 0)
            {
                var first = root[0];
                if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("image_id", out _)) ReadCocoResults(root, context);
                else ReadDetectForm(root, context);
            }
            return context.Result();
        }
    }

    private static void ReadDetectForm(JsonElement root, Context context)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var where = $"item {index}";
            if (item.ValueKind != JsonValueKind.Object) throw context.Error(where, $"is a {item.ValueKind}; expected an object {{image, width, height, detections}}");
            var name = RequiredString(item, "image", context, where);
            where = $"item {index} (image '{name}')";
            var image = context.FindImage(name, where);
            if (seen.TryGetValue(image.Id, out var earlier)) throw context.Error(where, $"repeats the image of item {earlier}; expected each image once");
            seen[image.Id] = index;
            if (!item.TryGetProperty("detections", out var detections) || detections.ValueKind != JsonValueKind.Array)
                throw context.Error(where, "has no 'detections' array; expected detections: [{label, class_id, score, box}]");

            var d = 0;
            foreach (var detection in detections.EnumerateArray())
            {
                var at = $"{where}, detection {d++}";
                if (detection.ValueKind != JsonValueKind.Object) throw context.Error(at, $"is a {detection.ValueKind}; expected an object {{label, class_id, score, box}}");
                var classId = DetectClass(detection, context, at);
                var score = RequiredNumber(detection, "score", context, at);
                var box = RequiredNumbers(detection, "box", context, at);
                context.Add(image.Id, classId, score, box[0], box[1], box[2], box[3], at);
            }
            index++;
        }
    }

    private static int DetectClass(JsonElement detection, Context context, string where)
    {
        if (detection.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String)
        {
            var name = label.GetString()!;
            return context.ClassByName.TryGetValue(name, out var id)
                ? id
                : throw context.Error(where, $"has unknown class '{name}'; expected one of {string.Join(", ", context.Truth.ClassNames)}");
        }
        if (detection.TryGetProperty("class_id", out var classId) && classId.ValueKind == JsonValueKind.Number && classId.TryGetInt32(out var value))
        {
            return value >= 1 && value <= context.Truth.ClassNames.Count
                ? value
                : throw context.Error(where, $"has unknown class id {value}; expected 1…{context.Truth.ClassNames.Count}");
        }
        throw context.Error(where, "has neither a 'label' string nor an integer 'class_id'");
    }

    private static void ReadCocoResults(JsonElement root, Context context)
    {
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var where = $"item {index++}";
            if (item.ValueKind != JsonValueKind.Object) throw context.Error(where, $"is a {item.ValueKind}; expected an object {{image_id, category_id, bbox, score}}");
            if (!item.TryGetProperty("image_id", out var imageId)) throw context.Error(where, "has no 'image_id'");
            var image = context.FindImage(imageId, where);
            where = $"{where} (image_id {imageId.GetRawText()})";
            if (!item.TryGetProperty("category_id", out var category) || category.ValueKind != JsonValueKind.Number || !category.TryGetInt64(out var categoryId))
                throw context.Error(where, "has no integer 'category_id'");
            var classId = context.ClassByCategory(categoryId, where);
            var score = RequiredNumber(item, "score", context, where);
            var bbox = RequiredNumbers(item, "bbox", context, where);
            if (bbox[2] < 0 || bbox[3] < 0) throw context.Error(where, $"has bbox width {bbox[2]} and height {bbox[3]}; expected [x, y, w, h] with w, h ≥ 0");
            context.Add(image.Id, classId, score, bbox[0], bbox[1], bbox[0] + bbox[2], bbox[1] + bbox[3], where);
        }
    }

    private static string RequiredString(JsonElement item, string property, Context context, string where) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw context.Error(where, $"has no '{property}' string");

    private static double RequiredNumber(JsonElement item, string property, Context context, string where)
    {
        if (!item.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            throw context.Error(where, $"has no numeric '{property}'");
        return CheckRange(number, $"'{property}'", context, where);
    }

    private static double[] RequiredNumbers(JsonElement item, string property, Context context, string where)
    {
        if (!item.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 4)
            throw context.Error(where, $"has no '{property}' of 4 numbers");
        var numbers = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (value[i].ValueKind != JsonValueKind.Number || !value[i].TryGetDouble(out numbers[i]))
                throw context.Error(where, $"has a '{property}' whose value {i} is not a number");
            CheckRange(numbers[i], $"'{property}' value {i}", context, where);
        }
        return numbers;
    }

    /// <summary>
    /// Detections keep single-precision values: a number beyond its range (1e300) would become infinite
    /// and corrupt the ranking or the overlaps, so it is refused, naming the entry.
    /// </summary>
    private static double CheckRange(double number, string what, Context context, string where) =>
        Math.Abs(number) <= MaxMagnitude
            ? number
            : throw context.Error(where, $"has {what} {number.ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected a finite number of magnitude at most 3.4e38 (single precision)");

    /// <summary>The lookups of one read and the detections gathered so far.</summary>
    private sealed class Context
    {
        private readonly Dictionary<string, ImageAnnotation> _byId = new(StringComparer.Ordinal);
        private readonly Dictionary<long, ImageAnnotation> _byCocoId = [];
        private readonly Dictionary<string, ImageAnnotation?> _byStem = new(StringComparer.Ordinal);
        private readonly Dictionary<long, int> _classByCategory = [];
        private readonly Dictionary<string, List<Detection>> _detections = new(StringComparer.Ordinal);

        public Context(string path, AnnotatedDataset truth)
        {
            Path = path;
            Truth = truth;
            foreach (var image in truth.Images)
            {
                _byId[image.Id] = image;
                if (image.CocoId is { } cocoId) _byCocoId[cocoId] = image;
                var stem = Stem(image.ImagePath);
                // A stem shared by two images finds neither (null marks it ambiguous).
                _byStem[stem] = _byStem.ContainsKey(stem) ? null : image;
            }
            for (var k = 0; k < truth.ClassNames.Count; k++)
            {
                ClassByName[truth.ClassNames[k]] = k + 1;
                // Category id 0 marks a class the COCO file lacks.
                if (truth.CocoCategoryIds is not { } ids) _classByCategory[k + 1] = k + 1;
                else if (ids[k] != 0) _classByCategory[ids[k]] = k + 1;
            }
        }

        public string Path { get; }

        public AnnotatedDataset Truth { get; }

        public Dictionary<string, int> ClassByName { get; } = new(StringComparer.Ordinal);

        public ImageAnnotation FindImage(string name, string where)
        {
            if (_byId.TryGetValue(name, out var image)) return image;
            if (_byStem.TryGetValue(Stem(name), out var byStem))
            {
                return byStem ?? throw Error(where, $"matches several images by file stem '{Stem(name)}'; expected a unique name");
            }
            throw Error(where, $"names an image that is not in the dataset ({Truth.Images.Count} images); expected a dataset image id or file stem");
        }

        public ImageAnnotation FindImage(JsonElement imageId, string where)
        {
            switch (imageId.ValueKind)
            {
                case JsonValueKind.String:
                    return FindImage(imageId.GetString()!, $"{where} (image_id '{imageId.GetString()}')");
                case JsonValueKind.Number when imageId.TryGetInt64(out var id):
                    if (_byCocoId.TryGetValue(id, out var image) || _byId.TryGetValue(id.ToString(System.Globalization.CultureInfo.InvariantCulture), out image)) return image;
                    throw Error($"{where} (image_id {id})", $"names an image that is not in the dataset ({Truth.Images.Count} images)");
                default:
                    throw Error(where, $"has image_id {imageId.GetRawText()}; expected an integer or a string");
            }
        }

        public int ClassByCategory(long categoryId, string where) =>
            _classByCategory.TryGetValue(categoryId, out var classId)
                ? classId
                : throw Error(where, Truth.CocoCategoryIds is { } ids
                    ? $"has unknown category_id {categoryId}; expected one of {string.Join(", ", ids.Where(id => id != 0))}"
                    : $"has unknown category_id {categoryId}; expected a class id 1…{Truth.ClassNames.Count}");

        public void Add(string imageId, int classId, double score, double x1, double y1, double x2, double y2, string where)
        {
            if (x2 < x1 || y2 < y1) throw Error(where, $"has box [{x1}, {y1}, {x2}, {y2}]; expected x1 ≤ x2 and y1 ≤ y2");
            if (!_detections.TryGetValue(imageId, out var list)) _detections[imageId] = list = [];
            list.Add(new Detection(classId, Truth.ClassNames[classId - 1], (float)score, new PixelBox((float)x1, (float)y1, (float)x2, (float)y2)));
        }

        public SsdInputException Error(string where, string problem) => new($"{Path}: {where} {problem}");

        public IReadOnlyDictionary<string, IReadOnlyList<Detection>> Result() =>
            _detections.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<Detection>)pair.Value, StringComparer.Ordinal);

        private static string Stem(string path) => System.IO.Path.GetFileNameWithoutExtension(path.Replace('\\', '/').Split('/')[^1]);
    }
}
