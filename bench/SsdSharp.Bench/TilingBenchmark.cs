using System.Diagnostics;
using SsdSharp.Boxes;
using SsdSharp.Data;
using SsdSharp.Data.Synthetic;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;

namespace SsdSharp.Bench;

/// <summary>
/// <c>tiling [IMAGES] [TILE] [OVERLAP] [MODEL]</c>: tiled detection on large synthetic images (docs/video.md): a set of
/// 2400×1800 images with 10–30 px objects is made with the options of <c>ssd synth --min-side 1800 --max-side 2400
/// --object-size 10-30</c>; recall of the objects under 32 px (same class, IoU ≥ 0.5, score ≥ 0.3), with and without
/// tiling, and the time per image of each.
/// </summary>
internal static class TilingBenchmark
{
    private const double MinScore = 0.3;

    public static int Run(string[] args)
    {
        int images = args.Length > 0 ? int.Parse(args[0]) : 10;
        int size = args.Length > 1 ? int.Parse(args[1]) : 300;
        double overlap = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0.2;
        var model = args.Length > 3 ? args[3] : BulkBenchmark.BundledModel();
        var folder = Directory.CreateTempSubdirectory("ssd-bench-tiling").FullName;
        try
        {
            var options = new SyntheticDatasetOptions { Images = images, Seed = 17, MinSide = 1800, MaxSide = 2400, MaxObjects = 30, ObjectPixels = (10, 30) };
            SyntheticDataset.Generate(folder, options);
            // Difficult objects kept: at this size all of them are difficult for the whole image.
            var set = VocReader.Read([folder], new DatasetReadOptions { Split = "trainval", KeepDifficult = true }).Images;
            using var detector = SsdDetector.Load(model, new DetectorOptions { Device = ComputeDevice.Cpu });
            Console.WriteLine($"CPU {CpuInfo.Current.Model}, {Environment.ProcessorCount} cores, load average {Measure.LoadAverage()}; {detector.Backend.Description}");
            var tiles = new TileOptions { Size = size, Overlap = overlap };
            int small = set.Sum(i => i.Objects.Count(IsSmall));
            Console.WriteLine($"{set.Count} images ({string.Join(", ", set.Select(i => $"{i.Width}×{i.Height}").Distinct().Take(4))}…), {small} objects under 32 px; tiles {size} px, overlap {overlap}");
            _ = detector.Detect([RgbImage.Filled(300, 300, 0, 0, 0)], ["warm-up"]);
            foreach (var (name, detect) in new (string, Func<RgbImage, ImageDetections>)[]
            {
                ("whole image", image => detector.Detect([image], ["image"])[0]),
                ($"tiles {size}", image => detector.DetectTiled(image, tiles)),
            })
            {
                int found = 0;
                var clock = new Stopwatch();
                foreach (var item in set)
                {
                    var image = RgbImage.Decode(item.ImagePath);
                    clock.Start();
                    var result = detect(image);
                    clock.Stop();
                    found += item.Objects.Where(IsSmall).Count(o => result.Detections.Any(d =>
                        d.Score >= MinScore && d.ClassId == o.ClassId && PixelBox.Iou(d.Box, VideoBenchmark.ToPixels(o)) >= 0.5));
                }
                Console.WriteLine($"{name}: recall of objects under 32 px {(double)found / Math.Max(small, 1):F3} ({found}/{small}), {clock.Elapsed.TotalMilliseconds / set.Count:F0} ms per image");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    private static bool IsSmall(ObjectAnnotation o) => Math.Max(o.X2 - o.X1 + 1, o.Y2 - o.Y1 + 1) < 32;
}
