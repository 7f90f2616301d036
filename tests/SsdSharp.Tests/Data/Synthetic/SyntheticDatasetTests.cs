using System.Security.Cryptography;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Synthetic;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Data.Synthetic;

/// <summary>A small generated set, shared by the tests of this class.</summary>
public sealed class SmallSyntheticSet : IDisposable
{
    public SmallSyntheticSet()
    {
        Root = Path.Combine(Path.GetTempPath(), "ssd-synth-" + Guid.NewGuid().ToString("N"));
        Summary = SyntheticDataset.Generate(Root, Options);
    }

    public static SyntheticDatasetOptions Options { get; } = new() { Images = 30, Seed = 7 };

    public string Root { get; }

    public SyntheticDatasetSummary Summary { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public class SyntheticDatasetTests(SmallSyntheticSet set) : IClassFixture<SmallSyntheticSet>
{
    private static readonly DatasetReadOptions Evaluation = DatasetReadOptions.ForEvaluation(SsdPresets.ShapeClasses, "trainval");

    [Fact]
    public void Voc_and_coco_readers_give_identical_samples()
    {
        var voc = DatasetReader.Read(set.Summary.VocSpec, Evaluation with { VerifyImages = true });
        var coco = DatasetReader.Read(set.Summary.CocoSpec("trainval"), Evaluation with { VerifyImages = true });

        Assert.Empty(voc.Problems);
        Assert.Empty(coco.Problems);
        Assert.Equal(set.Summary.ImagesPerSplit["trainval"], voc.Images.Count);
        Assert.Equal(voc.Images.Count, coco.Images.Count);
        Assert.True(voc.Images.Sum(i => i.Objects.Count) > 50);
        foreach (var (v, c) in voc.Images.Zip(coco.Images))
        {
            Assert.Equal(v.ImagePath, c.ImagePath);
            Assert.Equal((v.Width, v.Height), (c.Width, c.Height));
            Assert.Equal(
                v.Objects.Select(o => (o.ClassId, o.Label, o.X1, o.Y1, o.X2, o.Y2, o.Difficult)),
                c.Objects.Select(o => (o.ClassId, o.Label, o.X1, o.Y1, o.X2, o.Y2, o.Crowd)));
        }
        var vocTraining = DatasetReader.Read(set.Summary.VocSpec, DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses));
        var cocoTraining = DatasetReader.Read(set.Summary.CocoSpec("trainval"), DatasetReadOptions.ForTraining(SsdPresets.ShapeClasses));
        Assert.Equal(vocTraining.Images.Select(i => i.Objects.Count), cocoTraining.Images.Select(i => i.Objects.Count));
        Assert.Equal(
            vocTraining.Images.SelectMany(i => i.Objects).Select(o => (o.ClassId, o.X1, o.Y1, o.X2, o.Y2)),
            cocoTraining.Images.SelectMany(i => i.Objects).Select(o => (o.ClassId, o.X1, o.Y1, o.X2, o.Y2)));
    }

    [Fact]
    public void Splits_partition_the_images()
    {
        var ids = SyntheticDataset.Splits.ToDictionary(s => s,
            s => File.ReadAllLines(Path.Combine(set.Root, "ImageSets", "Main", s + ".txt")));
        Assert.Equal(30, ids["train"].Length + ids["val"].Length + ids["test"].Length);
        Assert.Equal(ids["train"].Concat(ids["val"]).Order(), ids["trainval"].Order());
        Assert.Empty(ids["trainval"].Intersect(ids["test"]));
        Assert.Equal((21, 3, 6), (ids["train"].Length, ids["val"].Length, ids["test"].Length));
    }

    [Fact]
    public void Every_box_is_valid_and_small_objects_are_difficult()
    {
        var all = DatasetReader.Read(set.Summary.VocSpec, Evaluation with { Split = "train" }).Images
            .Concat(DatasetReader.Read(set.Summary.VocSpec, Evaluation with { Split = "test" }).Images)
            .Concat(DatasetReader.Read(set.Summary.VocSpec, Evaluation with { Split = "val" }).Images).ToArray();
        Assert.Equal(30, all.Length);
        Assert.All(all, i => Assert.InRange(i.Objects.Count, 0, 8));
        Assert.All(all, i => Assert.InRange(i.Width, 200, 640));
        Assert.All(all, i => Assert.InRange(i.Height, 200, 640));
        var objects = all.SelectMany(i => i.Objects.Select(o => (Image: i, Object: o))).ToArray();
        Assert.All(objects, p => Assert.True(p.Object.X1 >= 0 && p.Object.X1 < p.Object.X2 && p.Object.X2 <= p.Image.Width
            && p.Object.Y1 >= 0 && p.Object.Y1 < p.Object.Y2 && p.Object.Y2 <= p.Image.Height));
        Assert.Equal(5, objects.Select(p => p.Object.ClassId).Distinct().Count());
        // The rule: the visible box's shorter side in the 300-px network input under 12 px makes an object difficult.
        Assert.All(objects.Where(p => !p.Object.Difficult), p =>
            Assert.True(Math.Min((p.Object.Width + 1) * 300 / p.Image.Width, (p.Object.Height + 1) * 300 / p.Image.Height) >= 12));
        Assert.Contains(objects, p => p.Object.Difficult);
        Assert.Contains(objects, p => Math.Sqrt(p.Object.Width * p.Object.Height) > 150);
        Assert.Equal(objects.Count(p => p.Object.Difficult), set.Summary.Difficult);
    }

    [Fact]
    public void The_same_seed_gives_the_same_files_and_another_seed_other_files()
    {
        var again = Path.Combine(Path.GetTempPath(), "ssd-synth-" + Guid.NewGuid().ToString("N"));
        var other = Path.Combine(Path.GetTempPath(), "ssd-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            SyntheticDataset.Generate(again, SmallSyntheticSet.Options with { Images = 12 });
            SyntheticDataset.Generate(other, SmallSyntheticSet.Options with { Images = 12, Seed = 8 });
            for (int i = 0; i < 12; i++)
            {
                var name = $"{i:D6}";
                Assert.Equal(Hash(set.Root, "JPEGImages", name + ".jpg"), Hash(again, "JPEGImages", name + ".jpg"));
                Assert.Equal(Hash(set.Root, "Annotations", name + ".xml").Replace(Path.GetFileName(set.Root), ""),
                    Hash(again, "Annotations", name + ".xml").Replace(Path.GetFileName(again), ""));
                Assert.NotEqual(Hash(set.Root, "JPEGImages", name + ".jpg"), Hash(other, "JPEGImages", name + ".jpg"));
            }
        }
        finally
        {
            Directory.Delete(again, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void The_small_object_share_sets_how_many_objects_come_from_the_small_tail()
    {
        static float[][] NetworkSides(double share)
        {
            using var folder = new TempFolder();
            var summary = SyntheticDataset.Generate(folder.Path("shapes"), SmallSyntheticSet.Options with { Images = 12, SmallObjectShare = share });
            return SyntheticDataset.Splits.Take(3)
                .SelectMany(s => DatasetReader.Read(summary.VocSpec, Evaluation with { Split = s }).Images)
                .SelectMany(i => i.Objects.Select(o => new[] { (o.Width + 1) * 300 / i.Width, (o.Height + 1) * 300 / i.Height }))
                .ToArray();
        }
        // All small: 8–20 px shapes, stretched and turned, stay under 40 px a side; none small: most are over 20 px.
        var small = NetworkSides(1);
        var ordinary = NetworkSides(0);
        Assert.NotEmpty(small);
        Assert.All(small, sides => Assert.True(sides.Max() < 40, $"{sides[0]:F1} × {sides[1]:F1}"));
        Assert.True(ordinary.Count(sides => sides.Min() > 20) > ordinary.Length * 3 / 4);
        Assert.Throws<SsdInputException>(() => (SmallSyntheticSet.Options with { SmallObjectShare = 1.5 }).Validate());
    }

    private static string Hash(params string[] path) =>
        path[^1].EndsWith(".xml") ? File.ReadAllText(Path.Combine(path)) : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(path))));

    [Theory]
    [InlineData("circle,Square", "unknown shape 'Square'; known shapes: circle, square, triangle, star, hexagon")]
    [InlineData("star,star", "'star' appears twice")]
    public void Bad_class_lists_are_refused(string classes, string message)
    {
        var options = new SyntheticDatasetOptions { ClassNames = classes.Split(',') };
        Assert.Contains(message, Assert.Throws<SsdInputException>(() => options.Validate()).Message);
    }

    [Fact]
    public void A_class_subset_numbers_its_classes_in_the_given_order()
    {
        var root = Path.Combine(Path.GetTempPath(), "ssd-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summary = SyntheticDataset.Generate(root, new SyntheticDatasetOptions { Images = 10, Seed = 3, ClassNames = ["star", "circle"] });
            var data = DatasetReader.Read(summary.CocoSpec("trainval"), DatasetReadOptions.ForEvaluation(["star", "circle"]));
            var objects = data.Images.SelectMany(i => i.Objects).ToArray();
            Assert.NotEmpty(objects);
            Assert.All(objects, o => Assert.Equal(o.ClassId == 1 ? "star" : "circle", o.Label));
            Assert.Equal(["star", "circle"], summary.ClassNames);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
