namespace SsdSharp.Data;

/// <summary>What a dataset holds, for a look before training (<c>ssd dataset stats</c>).</summary>
/// <param name="Images">Images read (after the validation policy).</param>
/// <param name="EmptyImages">Images without any object.</param>
/// <param name="Classes">Per class, in class order.</param>
/// <param name="BoxSizes">Box size √(w·h) in image pixels, bins from 0, 8, 16, 32, 64, 128, 256.</param>
/// <param name="AspectRatios">Box aspect w / h, bins from 0, 1/3, 1/2, 2/3, 3/2, 2, 3.</param>
/// <param name="MinImageSize">Smallest width and height seen.</param>
/// <param name="MaxImageSize">Largest width and height seen.</param>
/// <param name="Problems">Problems found, by what was done about them.</param>
public sealed record DatasetStatistics(
    int Images,
    int EmptyImages,
    IReadOnlyList<ClassStatistics> Classes,
    Histogram BoxSizes,
    Histogram AspectRatios,
    (int Width, int Height) MinImageSize,
    (int Width, int Height) MaxImageSize,
    IReadOnlyDictionary<ProblemAction, int> Problems)
{
    /// <summary>Bin edges of <see cref="BoxSizes"/>, pixels.</summary>
    public static IReadOnlyList<double> SizeEdges { get; } = [0, 8, 16, 32, 64, 128, 256];

    /// <summary>Bin edges of <see cref="AspectRatios"/>.</summary>
    public static IReadOnlyList<double> AspectEdges { get; } = [0, 1.0 / 3, 0.5, 2.0 / 3, 1.5, 2, 3];

    /// <summary>All objects, difficult and crowd included.</summary>
    public int Objects => Classes.Sum(c => c.Objects);

    /// <summary>Computes the statistics of a dataset as read.</summary>
    public static DatasetStatistics Compute(AnnotatedDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var objects = data.Images.SelectMany(i => i.Objects).ToArray();
        var classes = data.ClassNames.Select((name, i) =>
        {
            var mine = objects.Where(o => o.ClassId == i + 1).ToArray();
            return new ClassStatistics(name, mine.Length, mine.Count(o => o.Difficult), mine.Count(o => o.Crowd),
                data.Images.Count(image => image.Objects.Any(o => o.ClassId == i + 1)));
        }).ToArray();
        var images = data.Images;
        return new DatasetStatistics(
            images.Count,
            images.Count(i => i.Objects.Count == 0),
            classes,
            Histogram.Of(objects.Select(o => Math.Sqrt((double)o.Width * o.Height)), SizeEdges),
            Histogram.Of(objects.Select(o => (double)o.Width / o.Height), AspectEdges),
            images.Count == 0 ? (0, 0) : (images.Min(i => i.Width), images.Min(i => i.Height)),
            images.Count == 0 ? (0, 0) : (images.Max(i => i.Width), images.Max(i => i.Height)),
            data.Problems.GroupBy(p => p.Action).ToDictionary(g => g.Key, g => g.Count()));
    }
}

/// <summary>The objects of one class.</summary>
/// <param name="Name">Class name.</param>
/// <param name="Objects">Objects, difficult and crowd included.</param>
/// <param name="Difficult">Objects marked VOC <c>difficult</c>.</param>
/// <param name="Crowd">Objects marked COCO <c>iscrowd</c>.</param>
/// <param name="Images">Images with at least one object of the class.</param>
public sealed record ClassStatistics(string Name, int Objects, int Difficult, int Crowd, int Images);
