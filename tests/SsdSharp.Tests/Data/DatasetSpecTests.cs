using SsdSharp.Data;

namespace SsdSharp.Tests.Data;

public class DatasetSpecTests
{
    [Fact]
    public void Voc_with_several_roots_keeps_their_order()
    {
        var spec = DatasetSpec.Parse("VOC:/d/VOC2007,/d/VOC2012");
        Assert.Equal(DatasetFormat.Voc, spec.Format);
        Assert.Equal(["/d/VOC2007", "/d/VOC2012"], spec.Paths);
        Assert.Null(spec.ImagesDirectory);
        Assert.Equal("VOC:/d/VOC2007,/d/VOC2012", spec.ToString());
    }

    [Fact]
    public void Coco_images_default_to_the_json_folder()
    {
        var spec = DatasetSpec.Parse("coco:/d/ann/instances_val.json");
        Assert.Equal(DatasetFormat.Coco, spec.Format);
        Assert.Equal("/d/ann/instances_val.json", spec.AnnotationsFile);
        Assert.Equal("/d/ann", spec.ImagesDirectory);
    }

    [Fact]
    public void Coco_images_directory_may_contain_colons()
    {
        var spec = DatasetSpec.Parse("COCO:/d/a.json.bak/instances.json:/img:2017");
        Assert.Equal("/d/a.json.bak/instances.json", spec.AnnotationsFile);
        Assert.Equal("/img:2017", spec.ImagesDirectory);
        Assert.Equal(spec, DatasetSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("/d/VOC2007", "no format prefix")]
    [InlineData("YOLO:/d", "unknown format 'YOLO'")]
    [InlineData("VOC:/a,,/b", "empty VOC root")]
    [InlineData("COCO:/d/instances.txt", "must end in .json")]
    [InlineData("COCO:/d/i.json:", "empty IMAGES_DIR")]
    public void Bad_specs_name_the_text_and_the_expected_forms(string text, string reason)
    {
        var e = Assert.Throws<SsdInputException>(() => DatasetSpec.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Contains("VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR]", e.Message);
    }
}
