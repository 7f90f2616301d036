using System.Text.Json;
using System.Xml.Linq;
using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Evaluation;

/// <summary>
/// The evaluation golden case (TestData/evaluation/case_a, copied from shared/fixtures): its ground truth
/// read in both forms by a minimal loader of its own, so the evaluator tests do not depend on the dataset readers.
/// </summary>
internal static class CaseA
{
    public static readonly string[] Classes = ["circle", "square", "triangle", "star", "hexagon"];

    public static string File(params string[] parts) => Fixtures.TestData(["evaluation", "case_a", .. parts]);

    /// <summary>The VOC form: xml boxes minus 1, difficult flags.</summary>
    public static GroundTruthSet Voc()
    {
        var images = new List<ImageAnnotation>();
        foreach (var id in System.IO.File.ReadAllLines(File("voc", "ImageSets", "Main", "test.txt")).Where(line => line.Length > 0))
        {
            var xml = XDocument.Load(File("voc", "Annotations", id + ".xml")).Root!;
            var size = xml.Element("size")!;
            var objects = xml.Elements("object").Select(o =>
            {
                var box = o.Element("bndbox")!;
                float Coordinate(string name) => float.Parse(box.Element(name)!.Value) - 1;
                var label = o.Element("name")!.Value;
                return new ObjectAnnotation(Array.IndexOf(Classes, label) + 1, label, Coordinate("xmin"), Coordinate("ymin"), Coordinate("xmax"), Coordinate("ymax"),
                    Difficult: o.Element("difficult")?.Value == "1");
            }).ToList();
            images.Add(new ImageAnnotation(id, File("voc", "JPEGImages", id + ".jpg"), int.Parse(size.Element("width")!.Value), int.Parse(size.Element("height")!.Value), objects));
        }
        return new GroundTruthSet(images, Classes);
    }

    /// <summary>The COCO form: category ids mapped to 1…K in sorted order, iscrowd, area.</summary>
    public static GroundTruthSet Coco()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(File("instances_test.json")));
        var root = document.RootElement;
        var categories = root.GetProperty("categories").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetInt64(), Name: c.GetProperty("name").GetString()!)).OrderBy(c => c.Id).ToArray();
        var objects = new Dictionary<long, List<ObjectAnnotation>>();
        foreach (var a in root.GetProperty("annotations").EnumerateArray())
        {
            var bbox = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var k = Array.FindIndex(categories, c => c.Id == a.GetProperty("category_id").GetInt64());
            var imageId = a.GetProperty("image_id").GetInt64();
            if (!objects.TryGetValue(imageId, out var list)) objects[imageId] = list = [];
            list.Add(new ObjectAnnotation(k + 1, categories[k].Name, (float)bbox[0], (float)bbox[1], (float)(bbox[0] + bbox[2]), (float)(bbox[1] + bbox[3]),
                Crowd: a.GetProperty("iscrowd").GetInt32() == 1, Area: a.GetProperty("area").GetDouble()));
        }
        var images = root.GetProperty("images").EnumerateArray().Select(i =>
        {
            var id = i.GetProperty("id").GetInt64();
            return new ImageAnnotation(id.ToString(), i.GetProperty("file_name").GetString()!, i.GetProperty("width").GetInt32(), i.GetProperty("height").GetInt32(),
                objects.TryGetValue(id, out var list) ? list : [], id);
        }).ToList();
        return new GroundTruthSet(images, categories.Select(c => c.Name).ToArray(), categories.Select(c => c.Id).ToArray());
    }

    /// <summary>expected_metrics.json.</summary>
    public static JsonElement Expected() =>
        JsonDocument.Parse(System.IO.File.ReadAllText(File("expected_metrics.json"))).RootElement;
}
