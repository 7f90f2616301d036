using SsdSharp.Configuration;
using SsdSharp.Data;

namespace SsdSharp.Tests.Data;

/// <summary>The shared fixture holds the same ground truth as VOC and as COCO (category ids 1, 3, 5, 7, 9; difficult written as iscrowd).</summary>
public class CaseAReaderTests
{
    private static readonly string Root = DataFixtures.CaseA();
    private static readonly DatasetSpec Voc = DatasetSpec.Voc(Path.Combine(Root, "voc"));
    private static readonly DatasetSpec Coco = DatasetSpec.Coco(Path.Combine(Root, "instances_test.json"), Path.Combine(Root, "voc", "JPEGImages"));

    [Fact]
    public void Voc_and_coco_forms_give_the_same_objects_for_evaluation()
    {
        var voc = DatasetReader.Read(Voc, DatasetReadOptions.ForEvaluation(SsdPresets.ShapeClasses));
        var coco = DatasetReader.Read(Coco, DatasetReadOptions.ForEvaluation(SsdPresets.ShapeClasses));

        Assert.Equal(80, voc.Images.Count);
        Assert.Equal(80, coco.Images.Count);
        Assert.Empty(voc.Problems);
        Assert.Empty(coco.Problems);
        Assert.Equal(255, voc.Images.Sum(i => i.Objects.Count));
        Assert.Contains(voc.Images, i => i.Objects.Count == 0);
        Assert.Equal([1L, 3, 5, 7, 9], coco.CocoCategoryIds!);
        var cocoByFile = coco.Images.ToDictionary(i => Path.GetFileName(i.ImagePath));
        foreach (var v in voc.Images)
        {
            var c = cocoByFile[Path.GetFileName(v.ImagePath)];
            Assert.Equal((v.Width, v.Height), (c.Width, c.Height));
            Assert.Equal(v.Objects.Count, c.Objects.Count);
            foreach (var (a, b) in v.Objects.Zip(c.Objects))
            {
                Assert.Equal((a.ClassId, a.Label, a.X1, a.Y1, a.X2, a.Y2), (b.ClassId, b.Label, b.X1, b.Y1, b.X2, b.Y2));
                Assert.Equal(a.Difficult, b.Crowd);
                Assert.Equal((double)a.Width * a.Height, b.Area);
            }
        }
    }

    [Fact]
    public void Voc_boxes_are_the_xml_values_minus_one_and_the_size_comes_from_the_xml()
    {
        var voc = DatasetReader.Read(Voc, DatasetReadOptions.ForEvaluation(SsdPresets.ShapeClasses));
        var first = voc.Images[0];
        Assert.Equal(("030000", 522, 312), (first.Id, first.Width, first.Height));
        // <xmin>278</xmin><ymin>148</ymin><xmax>415</xmax><ymax>154</ymax>, difficult.
        var o = Assert.Single(first.Objects);
        Assert.Equal((3, "triangle", 277f, 147f, 414f, 153f, true), (o.ClassId, o.Label, o.X1, o.Y1, o.X2, o.Y2, o.Difficult));
    }

    [Fact]
    public void Training_drops_difficult_and_crowd_objects_but_keeps_empty_images()
    {
        var voc = DatasetReader.Read(Voc, DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses, "test"));
        var coco = DatasetReader.Read(Coco, DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses));
        var all = DatasetReader.Read(Voc, DatasetReadOptions.ForEvaluation(SsdPresets.ShapeClasses));
        int difficult = all.Images.Sum(i => i.Objects.Count(o => o.Difficult));

        Assert.True(difficult > 0);
        Assert.Equal(80, voc.Images.Count);
        Assert.Equal(80, coco.Images.Count);
        Assert.Equal(255 - difficult, voc.Images.Sum(i => i.Objects.Count));
        Assert.Equal(255 - difficult, coco.Images.Sum(i => i.Objects.Count));
        Assert.DoesNotContain(coco.Images.SelectMany(i => i.Objects), o => o.Crowd);
    }

    [Fact]
    public void Coco_classes_follow_the_class_list_not_the_category_order()
    {
        string[] reversed = [.. SsdPresets.ShapeClasses.Reverse()];
        var coco = DatasetReader.Read(Coco, DatasetReadOptions.ForEvaluation(reversed));
        Assert.All(coco.Images.SelectMany(i => i.Objects), o => Assert.Equal(reversed[o.ClassId - 1], o.Label));
        Assert.Equal([9L, 7, 5, 3, 1], coco.CocoCategoryIds!);
    }

    [Fact]
    public void Classes_are_discovered_when_no_list_is_given()
    {
        var coco = DatasetReader.Read(Coco, DatasetReadOptions.ForEvaluation(null));
        var voc = DatasetReader.Read(Voc, DatasetReadOptions.ForEvaluation(null));
        Assert.Equal(SsdPresets.ShapeClasses, coco.ClassNames);
        Assert.Equal(SsdPresets.ShapeClasses.Order(StringComparer.Ordinal), voc.ClassNames);
    }

    [Fact]
    public void Class_names_are_matched_exactly_and_an_unknown_one_lists_the_known()
    {
        string[] capitalised = ["Circle", "Square", "Triangle", "Star", "Hexagon"];
        var voc = Assert.Throws<DatasetValidationException>(() => DatasetReader.Read(Voc, DatasetReadOptions.ForEvaluation(capitalised)));
        Assert.Contains("unknown class 'triangle'", voc.Message);
        Assert.Contains("known classes: Circle, Square, Triangle, Star, Hexagon", voc.Message);
        Assert.Contains("030000.xml: object[0]", voc.Message);

        var coco = Assert.Throws<DatasetValidationException>(() => DatasetReader.Read(Coco, DatasetReadOptions.ForEvaluation(capitalised)));
        Assert.Contains("categories[0] (id 1): unknown class 'circle'", coco.Message);
    }

    [Fact]
    public void A_missing_split_names_the_splits_present()
    {
        var e = Assert.Throws<SsdInputException>(() => DatasetReader.Read(Voc, DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses, "trainval")));
        Assert.Contains("split 'trainval' not found; splits in this root: test", e.Message);
    }

    [Theory]
    [InlineData("../../../../../../etc/hostname")]
    [InlineData("..")]
    [InlineData("")]
    public void A_split_is_a_list_in_the_root_not_a_path(string split)
    {
        var e = Assert.Throws<SsdInputException>(() => DatasetReader.Read(Voc, DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses, split)));
        Assert.StartsWith($"split '{split}': expected the name of a list in ", e.Message);
        Assert.EndsWith("(train, val, test …), not a path", e.Message);
    }
}
