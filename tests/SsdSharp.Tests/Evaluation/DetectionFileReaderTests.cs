using SsdSharp.Evaluation;

namespace SsdSharp.Tests.Evaluation;

public class DetectionFileReaderTests
{
    private static SsdInputException ReadFails(string json, SsdSharp.Data.AnnotatedDataset truth)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dets-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var e = Assert.Throws<SsdInputException>(() => DetectionFileReader.Read(path, truth));
            Assert.Contains(path, e.Message);
            return e;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<SsdSharp.Inference.Detection>> Read(string json, SsdSharp.Data.AnnotatedDataset truth)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dets-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return DetectionFileReader.Read(path, truth);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DetectFormFindsVocImagesByFileStemAndClassesByLabel()
    {
        var dets = Read("""[{"image": "elsewhere/030001.png", "width": 329, "height": 298, "detections": [{"label": "star", "class_id": 9, "score": 0.5, "box": [1, 2, 3, 4]}]}]""", CaseA.Voc());
        var d = Assert.Single(dets["030001"]);
        Assert.Equal((4, "star", 0.5f), (d.ClassId, d.Label, d.Score));
        Assert.Equal(new SsdSharp.Boxes.PixelBox(1, 2, 3, 4), d.Box);
    }

    [Fact]
    public void CocoResultsMapCategoryIdsAndConvertBoxes()
    {
        var dets = Read("""[{"image_id": 2, "category_id": 7, "bbox": [10, 20, 30, 40], "score": 0.25}]""", CaseA.Coco());
        var d = Assert.Single(dets["2"]);
        Assert.Equal((4, "star"), (d.ClassId, d.Label));
        Assert.Equal(new SsdSharp.Boxes.PixelBox(10, 20, 40, 60), d.Box);
    }

    [Fact]
    public void EmptyListMeansNoDetections() => Assert.Empty(Read("[]", CaseA.Voc()));

    [Theory]
    [InlineData("""[{"image": "nope.jpg", "detections": []}]""", "item 0 (image 'nope.jpg') names an image that is not in the dataset")]
    [InlineData("""[{"image": "030000.jpg", "detections": [{"label": "moon", "score": 0.5, "box": [0, 0, 1, 1]}]}]""", "detection 0 has unknown class 'moon'")]
    [InlineData("""[{"image": "030000.jpg", "detections": [{"class_id": 6, "score": 0.5, "box": [0, 0, 1, 1]}]}]""", "unknown class id 6")]
    [InlineData("""[{"image": "030000.jpg", "detections": [{"label": "star", "score": 0.5, "box": [0, 0, 1]}]}]""", "has no 'box' of 4 numbers")]
    [InlineData("""[{"image": "030000.jpg", "detections": [{"label": "star", "box": [0, 0, 1, 1]}]}]""", "has no numeric 'score'")]
    [InlineData("""[{"image": "030000.jpg", "detections": [{"label": "star", "score": 0.5, "box": [5, 0, 1, 1]}]}]""", "expected x1 ≤ x2")]
    [InlineData("""[{"image": "030000.jpg", "detections": []}, {"image": "030000.jpg", "detections": []}]""", "item 1 (image '030000.jpg') repeats the image of item 0")]
    [InlineData("""[{"image": "030000.jpg"}]""", "has no 'detections' array")]
    [InlineData("""{"image": "030000.jpg"}""", "expected an array")]
    [InlineData("""[{"image": "030000.jpg", """, "not valid JSON")]
    public void BadDetectFormIsRefusedNamingTheItem(string json, string message) =>
        Assert.Contains(message, ReadFails(json, CaseA.Voc()).Message);

    [Theory]
    [InlineData("""[{"image_id": 999, "category_id": 1, "bbox": [0, 0, 1, 1], "score": 0.5}]""", "item 0 (image_id 999) names an image that is not in the dataset")]
    [InlineData("""[{"image_id": 1, "category_id": 2, "bbox": [0, 0, 1, 1], "score": 0.5}]""", "unknown category_id 2; expected one of 1, 3, 5, 7, 9")]
    [InlineData("""[{"image_id": 1, "category_id": 1, "bbox": [0, 0, -1, 1], "score": 0.5}]""", "expected [x, y, w, h] with w, h ≥ 0")]
    [InlineData("""[{"image_id": 1.5, "category_id": 1, "bbox": [0, 0, 1, 1], "score": 0.5}]""", "expected an integer or a string")]
    public void BadCocoResultsAreRefusedNamingTheItem(string json, string message) =>
        Assert.Contains(message, ReadFails(json, CaseA.Coco()).Message);

    [Fact]
    public void MissingFileIsNamed()
    {
        var e = Assert.Throws<SsdInputException>(() => DetectionFileReader.Read("/no/such/dets.json", CaseA.Voc()));
        Assert.Contains("/no/such/dets.json", e.Message);
    }
}
