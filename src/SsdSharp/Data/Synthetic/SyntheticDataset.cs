using System.Globalization;
using SkiaSharp;
using SsdSharp.IO;

namespace SsdSharp.Data.Synthetic;

/// <summary>
/// Generates the synthetic shapes dataset in real formats: a PASCAL VOC root (<c>JPEGImages/*.jpg</c>,
/// <c>Annotations/*.xml</c>, <c>ImageSets/Main/{train,val,test,trainval}.txt</c>) and the same ground truth
/// as COCO <c>instances_{split}.json</c> files in the root, whose <c>file_name</c>s (<c>JPEGImages/…</c>) are
/// relative to it. Image i belongs to train when i mod 10 &lt; 7, to val when it is 7, to test otherwise.
/// The output depends only on the options: each image is drawn from its own random stream, in parallel.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>The splits written, in order.</summary>
    public static IReadOnlyList<string> Splits { get; } = ["train", "val", "test", "trainval"];

    /// <summary>Writes the dataset into <paramref name="directory"/> (created if needed; files of the same names are replaced).</summary>
    /// <param name="directory">The dataset root.</param>
    /// <param name="options">What to generate.</param>
    /// <param name="progress">Receives the number of images finished so far.</param>
    /// <exception cref="SsdInputException">Invalid options.</exception>
    public static SyntheticDatasetSummary Generate(string directory, SyntheticDatasetOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kinds = options.Validate();
        directory = Path.GetFullPath(directory);
        var imageFolder = Path.Combine(directory, "JPEGImages");
        Directory.CreateDirectory(imageFolder);
        Directory.CreateDirectory(Path.Combine(directory, "Annotations"));

        var renderer = new SyntheticImageRenderer(options, kinds);
        int digits = Math.Max(6, (options.Images - 1).ToString(CultureInfo.InvariantCulture).Length);
        var images = new ImageAnnotation[options.Images];
        int done = 0;
        Parallel.For(0, options.Images, i =>
        {
            var id = i.ToString("D" + digits, CultureInfo.InvariantCulture);
            var path = Path.Combine(imageFolder, id + ".jpg");
            var (bitmap, objects) = renderer.Render(i);
            images[i] = new ImageAnnotation(id, path, bitmap.Width, bitmap.Height, objects, i + 1);
            using (bitmap)
            using (var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, options.JpegQuality))
            {
                AtomicFile.Write(path, data.SaveTo);
            }
            VocWriter.WriteAnnotation(directory, images[i]);
            progress?.Report(Interlocked.Increment(ref done));
        });

        var perSplit = new Dictionary<string, int>();
        foreach (var split in Splits)
        {
            var members = images.Where((_, i) => InSplit(i, split)).ToArray();
            VocWriter.WriteSplit(directory, split, members.Select(m => m.Id));
            CocoWriter.Write(Path.Combine(directory, $"instances_{split}.json"), options.ClassNames, members);
            perSplit[split] = members.Length;
        }
        var all = images.SelectMany(i => i.Objects).ToArray();
        var perClass = Enumerable.Range(1, options.ClassNames.Count).Select(c => all.Count(o => o.ClassId == c)).ToArray();
        return new SyntheticDatasetSummary(directory, options.ClassNames, options.Images, perSplit, perClass, all.Count(o => o.Difficult));
    }

    /// <summary>Whether image <paramref name="index"/> belongs to <paramref name="split"/>.</summary>
    public static bool InSplit(int index, string split) => (index % 10, split) switch
    {
        (< 7, "train" or "trainval") => true,
        (7, "val" or "trainval") => true,
        (> 7, "test") => true,
        _ => false,
    };
}
