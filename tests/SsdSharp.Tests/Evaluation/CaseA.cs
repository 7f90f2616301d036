using System.Text.Json;
using SsdSharp.Data;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Evaluation;

/// <summary>The evaluation golden case (TestData/evaluation/case_a, copied from shared/fixtures), read by the dataset readers.</summary>
internal static class CaseA
{
    public static string File(params string[] parts) => Fixtures.TestData(["evaluation", "case_a", .. parts]);

    /// <summary>The data spec of the VOC form.</summary>
    public static string VocSpec => "VOC:" + File("voc");

    /// <summary>The data spec of the COCO form (its images are the VOC form's).</summary>
    public static string CocoSpec => $"COCO:{File("instances_test.json")}:{File("voc", "JPEGImages")}";

    /// <summary>The VOC form: xml boxes minus 1, difficult objects kept; classes in ordinal order.</summary>
    public static AnnotatedDataset Voc() => DatasetReader.Read(VocSpec, DatasetReadOptions.ForEvaluation(null));

    /// <summary>The COCO form: category ids mapped to 1…K in ascending order, crowd objects kept, areas as stored.</summary>
    public static AnnotatedDataset Coco() => DatasetReader.Read(CocoSpec, DatasetReadOptions.ForEvaluation(null));

    /// <summary>A new VOC root in a temporary folder holding the images <paramref name="ids"/> of the VOC form as its test split.</summary>
    public static string VocRootWith(params string[] ids)
    {
        var root = Directory.CreateTempSubdirectory("ssd-voc").FullName;
        foreach (var folder in new[] { "Annotations", "JPEGImages", Path.Combine("ImageSets", "Main") })
            Directory.CreateDirectory(Path.Combine(root, folder));
        foreach (var id in ids)
        {
            System.IO.File.Copy(File("voc", "Annotations", id + ".xml"), Path.Combine(root, "Annotations", id + ".xml"));
            System.IO.File.Copy(File("voc", "JPEGImages", id + ".jpg"), Path.Combine(root, "JPEGImages", id + ".jpg"));
        }
        System.IO.File.WriteAllLines(Path.Combine(root, "ImageSets", "Main", "test.txt"), ids);
        return root;
    }

    /// <summary>expected_metrics.json.</summary>
    public static JsonElement Expected() =>
        JsonDocument.Parse(System.IO.File.ReadAllText(File("expected_metrics.json"))).RootElement;
}
