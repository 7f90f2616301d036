using SsdSharp.Data;

namespace SsdSharp.Tests.Data;

/// <summary>Each malformed or degenerate input gives its documented problem, with file and object index, under each policy.</summary>
public class ValidationTests : IDisposable
{
    private static readonly string[] Classes = ["circle", "square"];
    private readonly TempDataset _data = new();

    public void Dispose() => _data.Dispose();

    private AnnotatedDataset ReadVoc(ValidationPolicy policy, bool verify = false) =>
        VocReader.Read([_data.Root], new DatasetReadOptions { ClassNames = Classes, Split = "train", Policy = policy, VerifyImages = verify });

    /// <summary>One 100×80 image: a good box, one reaching past the right edge, one inverted.</summary>
    private void WriteMixedImage()
    {
        _data.WriteImage("a", 100, 80);
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"), ("square", "61", "11", "121", "41"), ("circle", "51", "11", "41", "31"));
        _data.WriteSplit("train", "a");
    }

    [Fact]
    public void Fix_clips_what_leaves_the_image_and_skips_what_cannot_be_repaired()
    {
        WriteMixedImage();
        var data = ReadVoc(ValidationPolicy.Fix);
        var image = Assert.Single(data.Images);
        Assert.Equal(2, image.Objects.Count);
        Assert.Equal((60f, 10f, 100f, 40f), (image.Objects[1].X1, image.Objects[1].Y1, image.Objects[1].X2, image.Objects[1].Y2));
        Assert.Equal(2, data.Problems.Count);
        Assert.Equal((1, ProblemAction.Clipped), (data.Problems[0].ObjectIndex!.Value, data.Problems[0].Action));
        Assert.Contains("extends outside the 100×80 image", data.Problems[0].Message);
        Assert.Equal((2, ProblemAction.ObjectSkipped), (data.Problems[1].ObjectIndex!.Value, data.Problems[1].Action));
        Assert.Equal($"{_data.Xml("a")}: object[2]: 'circle': inverted box (50, 10, 40, 30): x1 > x2 or y1 > y2 (object skipped)", data.Problems[1].ToString());
    }

    [Fact]
    public void SkipObject_drops_every_problem_object()
    {
        WriteMixedImage();
        var data = ReadVoc(ValidationPolicy.SkipObject);
        var o = Assert.Single(Assert.Single(data.Images).Objects);
        Assert.Equal(10f, o.Y1);
        Assert.Equal(2, data.Problems.Count);
        Assert.All(data.Problems, p => Assert.Equal(ProblemAction.ObjectSkipped, p.Action));
    }

    [Fact]
    public void SkipImage_drops_the_image()
    {
        WriteMixedImage();
        var data = ReadVoc(ValidationPolicy.SkipImage);
        Assert.Empty(data.Images);
        Assert.Equal(2, data.Problems.Count);
        Assert.All(data.Problems, p => Assert.Equal(ProblemAction.ImageSkipped, p.Action));
    }

    [Fact]
    public void Fail_stops_at_the_first_problem_naming_file_and_object()
    {
        WriteMixedImage();
        var e = Assert.Throws<DatasetValidationException>(() => ReadVoc(ValidationPolicy.Fail));
        Assert.StartsWith($"{_data.Xml("a")}: object[1]: 'square': box (60, 10, 120, 40) extends outside the 100×80 image", e.Message);
        Assert.Equal(1, e.Problem.ObjectIndex);
    }

    [Theory]
    [InlineData("11", "11", "11", "31", "zero-area box (10, 10, 10, 30)")]
    [InlineData("11", "31", "31", "11", "inverted box (10, 30, 30, 10)")]
    [InlineData("201", "11", "221", "31", "lies entirely outside the 100×80 image")]
    [InlineData("-20", "11", "0", "31", "lies entirely outside the 100×80 image")]
    [InlineData("abc", "11", "21", "31", "<bndbox><xmin> 'abc' is not a number")]
    [InlineData("", "11", "21", "31", "<bndbox><xmin> missing")]
    public void Degenerate_and_malformed_boxes_never_pass(string xmin, string ymin, string xmax, string ymax, string message)
    {
        _data.WriteImage("a", 100, 80);
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"), ("square", xmin, ymin, xmax, ymax));
        _data.WriteSplit("train", "a");
        foreach (var policy in new[] { ValidationPolicy.Fix, ValidationPolicy.SkipObject })
        {
            var data = ReadVoc(policy);
            Assert.Single(Assert.Single(data.Images).Objects);
            var problem = Assert.Single(data.Problems);
            Assert.Equal((1, ProblemAction.ObjectSkipped), (problem.ObjectIndex!.Value, problem.Action));
            Assert.Contains(message, problem.Message);
        }
        var e = Assert.Throws<DatasetValidationException>(() => ReadVoc(ValidationPolicy.Fail));
        Assert.Contains("a.xml: object[1]: 'square': ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Malformed_xml_skips_the_image_or_fails()
    {
        _data.WriteImage("a", 100, 80);
        _data.WriteImage("b", 100, 80);
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"));
        File.WriteAllText(_data.Xml("b"), "<annotation><object><name>circle</name>");
        _data.WriteSplit("train", "a", "b");

        var data = ReadVoc(ValidationPolicy.Fix);
        Assert.Equal("a", Assert.Single(data.Images).Id);
        var problem = Assert.Single(data.Problems);
        Assert.Equal((_data.Xml("b"), (int?)null, ProblemAction.ImageSkipped), (problem.File, problem.ObjectIndex, problem.Action));
        Assert.StartsWith("malformed XML", problem.Message);
        var e = Assert.Throws<DatasetValidationException>(() => ReadVoc(ValidationPolicy.Fail));
        Assert.StartsWith($"{_data.Xml("b")}: malformed XML", e.Message);
    }

    [Fact]
    public void A_missing_image_is_skipped()
    {
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"));
        _data.WriteSplit("train", "a");
        var problem = Assert.Single(ReadVoc(ValidationPolicy.Fix).Problems);
        Assert.Equal((_data.Jpeg("a"), "image file not found", ProblemAction.ImageSkipped), (problem.File, problem.Message, problem.Action));
    }

    [Fact]
    public void An_undecodable_image_is_found_when_images_are_verified()
    {
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"));
        File.WriteAllBytes(_data.Jpeg("a"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        _data.WriteSplit("train", "a");

        Assert.Single(ReadVoc(ValidationPolicy.Fix).Images);
        var data = ReadVoc(ValidationPolicy.Fix, verify: true);
        Assert.Empty(data.Images);
        var problem = Assert.Single(data.Problems);
        Assert.Equal((_data.Jpeg("a"), ProblemAction.ImageSkipped), (problem.File, problem.Action));
        Assert.StartsWith("image will not decode", problem.Message);
        Assert.Throws<DatasetValidationException>(() => ReadVoc(ValidationPolicy.Fail, verify: true));
    }

    [Fact]
    public void Annotations_and_images_behind_broken_or_looping_links_are_problems_of_the_data()
    {
        // File.Exists sees both kinds of link, and opening them throws: they are named like any file that cannot be read.
        _data.WriteImage("a", 100, 80);
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"));
        File.CreateSymbolicLink(_data.Xml("b"), "/nonexistent/b.xml");
        File.CreateSymbolicLink(_data.Xml("c"), _data.Xml("c"));
        _data.WriteVoc("d", 100, 80, ("circle", "11", "11", "31", "31"));
        File.CreateSymbolicLink(_data.Jpeg("d"), "d.jpg");
        _data.WriteSplit("train", "a", "b", "c", "d");

        var data = ReadVoc(ValidationPolicy.Fix, verify: true);
        Assert.Equal("a", Assert.Single(data.Images).Id);
        Assert.Equal([_data.Xml("b"), _data.Xml("c"), _data.Jpeg("d")], data.Problems.Select(p => p.File));
        Assert.All(data.Problems, p => Assert.Equal(ProblemAction.ImageSkipped, p.Action));
        Assert.Equal("cannot read the file (a link to a file that does not exist)", data.Problems[0].Message);
        Assert.Equal("cannot read the file (a loop of symbolic links)", data.Problems[1].Message);
        Assert.Contains("cannot read the file (a loop of symbolic links)", data.Problems[2].Message);
    }

    [Fact]
    public void A_missing_size_is_read_from_the_image_under_fix_only()
    {
        _data.WriteImage("a", 100, 80);
        _data.WriteVoc("a", 0, 80, ("circle", "11", "11", "31", "31"));
        _data.WriteSplit("train", "a");

        var data = ReadVoc(ValidationPolicy.Fix);
        Assert.Equal((100, 80), (data.Images[0].Width, data.Images[0].Height));
        Assert.Equal(ProblemAction.SizeFromImage, Assert.Single(data.Problems).Action);
        Assert.Empty(ReadVoc(ValidationPolicy.SkipObject).Images);
    }

    [Fact]
    public void A_wrong_size_is_found_when_images_are_verified()
    {
        _data.WriteImage("a", 100, 80);
        _data.WriteVoc("a", 120, 80, ("circle", "11", "11", "31", "31"));
        _data.WriteSplit("train", "a");

        var data = ReadVoc(ValidationPolicy.Fix, verify: true);
        Assert.Equal(100, data.Images[0].Width);
        Assert.Equal("image is 100×80 but annotated 120×80", Assert.Single(data.Problems).Message);
        Assert.Empty(ReadVoc(ValidationPolicy.SkipImage, verify: true).Images);
    }

    /// <summary>Classes found in the data took 'background' as one, and the configuration then refused it naming no file.</summary>
    [Fact]
    public void A_class_named_background_is_a_problem_of_the_object_or_category_that_names_it()
    {
        _data.WriteImage("a", 100, 80);
        _data.WriteVoc("a", 100, 80, ("circle", "11", "11", "31", "31"), ("background", "40", "11", "60", "31"));
        _data.WriteSplit("train", "a");
        // As any class outside the list: not skipped under any policy, since the list itself would be wrong.
        var voc = Assert.Throws<DatasetValidationException>(() => VocReader.Read([_data.Root], new DatasetReadOptions { Split = "train", Policy = ValidationPolicy.SkipObject }));
        Assert.Equal($"{_data.Xml("a")}: object[1]: class 'background' is SSD's class 0 (no object), not a class of the data; rename it", voc.Message);

        var json = """
            {"categories": [{"id": 0, "name": "background"}, {"id": 4, "name": "circle"}],
             "images": [{"id": 7, "file_name": "a.jpg", "width": 100, "height": 80}], "annotations": []}
            """;
        var e = Assert.Throws<DatasetValidationException>(() => CocoReader.Read(_data.WriteFile("instances.json", json), Path.Combine(_data.Root, "JPEGImages"), new DatasetReadOptions()));
        Assert.Contains("instances.json: categories[0] (id 0): class 'background' is SSD's class 0 (no object), not a class of the data; rename it", e.Message);
    }

    private AnnotatedDataset ReadCoco(string json, ValidationPolicy policy = ValidationPolicy.Fix) =>
        CocoReader.Read(_data.WriteFile("instances.json", json), Path.Combine(_data.Root, "JPEGImages"),
            new DatasetReadOptions { ClassNames = Classes, Policy = policy });

    private const string CocoHead = """
        {"categories": [{"id": 4, "name": "circle"}, {"id": 2, "name": "square"}],
         "images": [{"id": 7, "file_name": "a.jpg", "width": 100, "height": 80}],
        """;

    [Fact]
    public void Malformed_json_always_fails_with_its_line()
    {
        _data.WriteImage("a", 100, 80);
        var e = Assert.Throws<DatasetValidationException>(() => ReadCoco(CocoHead + "\n \"annotations\": [}"));
        Assert.Contains("instances.json: malformed JSON at line 3", e.Message);
        var missing = Assert.Throws<DatasetValidationException>(() => ReadCoco("""{"images": []}"""));
        Assert.Contains("'categories' array missing", missing.Message);
    }

    [Fact]
    public void Coco_object_problems_name_their_annotation_index()
    {
        _data.WriteImage("a", 100, 80);
        var json = CocoHead + """
             "annotations": [
               {"id": 1, "image_id": 7, "category_id": 4, "bbox": [10, 10, 20, 20], "area": 400, "iscrowd": 0},
               {"id": 2, "image_id": 7, "category_id": 3, "bbox": [10, 10, 20, 20]},
               {"id": 3, "image_id": 7, "category_id": 2, "bbox": [10, 10, 20]},
               {"id": 4, "image_id": 8, "category_id": 2, "bbox": [10, 10, 20, 20]},
               {"id": 5, "image_id": 7, "category_id": 2, "bbox": [50, 10, -20, 20]},
               {"id": 6, "image_id": 7, "category_id": 2, "bbox": [90, 70, 20, 20]}
             ]}
            """;
        var data = ReadCoco(json);
        var image = Assert.Single(data.Images);
        Assert.Equal(("7", 7L), (image.Id, image.CocoId!.Value));
        Assert.Equal(2, image.Objects.Count);
        Assert.Equal((1, "circle", 400.0), (image.Objects[0].ClassId, image.Objects[0].Label, image.Objects[0].Area!.Value));
        Assert.Equal((2, 90f, 100f, 80f), (image.Objects[1].ClassId, image.Objects[1].X1, image.Objects[1].X2, image.Objects[1].Y2));
        Assert.Equal(
            [
                "annotations[3]: image_id 8 is not in 'images' (object skipped)",
                "annotations[1]: category_id 3 is not in 'categories' (object skipped)",
                "annotations[2]: 'square': 'bbox' is not 4 numbers [x, y, w, h] (object skipped)",
                "annotations[4]: 'square': inverted box (50, 10, 30, 30): x1 > x2 or y1 > y2 (object skipped)",
                "annotations[5]: 'square': box (90, 70, 110, 90) extends outside the 100×80 image (clipped to the image)",
            ],
            data.Problems.Select(p => p.ToString()[(Path.Combine(_data.Root, "instances.json").Length + 2)..]));
        var e = Assert.Throws<DatasetValidationException>(() => ReadCoco(json, ValidationPolicy.Fail));
        Assert.EndsWith("instances.json: annotations[3]: image_id 8 is not in 'images'", e.Message);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("yes")]
    [InlineData("01")]
    public void A_difficult_flag_other_than_0_or_1_is_a_problem_not_a_guess(string flag)
    {
        _data.WriteImage("a", 100, 80);
        File.WriteAllText(_data.Xml("a"), "<annotation><size><width>100</width><height>80</height></size>"
            + "<object><name>circle</name><difficult>1</difficult><bndbox><xmin>11</xmin><ymin>11</ymin><xmax>31</xmax><ymax>31</ymax></bndbox></object>"
            + $"<object><name>square</name><difficult>{flag}</difficult><bndbox><xmin>41</xmin><ymin>11</ymin><xmax>61</xmax><ymax>31</ymax></bndbox></object></annotation>");
        _data.WriteSplit("train", "a");
        var data = VocReader.Read([_data.Root], new DatasetReadOptions { ClassNames = Classes, Split = "train", KeepDifficult = true });
        var kept = Assert.Single(Assert.Single(data.Images).Objects);
        Assert.True(kept.Difficult);
        Assert.Equal($"{_data.Xml("a")}: object[1]: 'square': <difficult> '{flag}' is not 0 or 1 (object skipped)", Assert.Single(data.Problems).ToString());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("\"yes\"")]
    [InlineData("0.5")]
    public void An_iscrowd_other_than_0_or_1_is_a_problem_not_a_guess(string flag)
    {
        _data.WriteImage("a", 100, 80);
        var json = CocoHead + $$"""
             "annotations": [
               {"id": 1, "image_id": 7, "category_id": 4, "bbox": [10, 10, 20, 20], "iscrowd": true},
               {"id": 2, "image_id": 7, "category_id": 4, "bbox": [40, 10, 20, 20], "iscrowd": 0},
               {"id": 3, "image_id": 7, "category_id": 4, "bbox": [70, 10, 20, 20], "iscrowd": {{flag}}}
             ]}
            """;
        var data = CocoReader.Read(_data.WriteFile("instances.json", json), Path.Combine(_data.Root, "JPEGImages"),
            new DatasetReadOptions { ClassNames = Classes, KeepCrowd = true });
        var objects = Assert.Single(data.Images).Objects;
        Assert.Equal([true, false], objects.Select(o => o.Crowd));
        Assert.Equal($"annotations[2]: 'circle': 'iscrowd' {flag} is not 0 or 1 (object skipped)",
            Assert.Single(data.Problems).ToString()[(Path.Combine(_data.Root, "instances.json").Length + 2)..]);
    }

    [Fact]
    public void A_coco_image_problem_names_the_image_in_the_file_of_them_all()
    {
        _data.WriteImage("a", 100, 80);
        var json = CocoHead.Replace("\"width\": 100", "\"width\": 1099511627776") + "\n \"annotations\": []}";
        var e = Assert.Throws<DatasetValidationException>(() => ReadCoco(json, ValidationPolicy.Fail));
        Assert.EndsWith($"instances.json: image id 7: image size missing, not positive or above {int.MaxValue} (read as 0×80)", e.Message);
    }
}
