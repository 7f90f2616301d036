using System.CommandLine;
using System.Diagnostics;
using SsdSharp.Configuration;
using SsdSharp.Data.Synthetic;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd synth</c>: writes the synthetic shapes dataset in VOC and COCO form.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Dataset root to write (VOC layout plus instances_{split}.json).", Required = true };
        var images = new Option<int>("--images") { Description = "Number of images.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed gives the same dataset.", DefaultValueFactory = _ => 0 };
        var classes = new Option<string>("--classes")
        {
            Description = "Comma-separated shape classes, in class-id order.",
            DefaultValueFactory = _ => string.Join(',', SsdPresets.ShapeClasses),
        };
        var difficultBelow = new Option<double>("--difficult-below")
        {
            Description = "Mark objects difficult when their visible box's shorter side, resized to the 300-px network input, is below this many pixels.",
            DefaultValueFactory = _ => new SyntheticDatasetOptions().DifficultBelow,
        };
        var defaults = new SyntheticDatasetOptions();
        var minSide = new Option<int>("--min-side") { Description = "Smallest image side in pixels.", DefaultValueFactory = _ => defaults.MinSide };
        var maxSide = new Option<int>("--max-side") { Description = "Largest image side in pixels.", DefaultValueFactory = _ => defaults.MaxSide };
        var maxObjects = new Option<int>("--max-objects") { Description = "Most objects in an image (each has 0 to this many).", DefaultValueFactory = _ => defaults.MaxObjects };
        var objectSize = new Option<string?>("--object-size")
        {
            Description = "Object sizes in image pixels, MIN-MAX (e.g. 10-30 in 2400-pixel images, for tiled detection). Default: relative to the 300-pixel network input.",
        };
        var command = new Command("synth", "Generate a synthetic detection dataset of shapes (JPEG images, VOC xml, COCO json).")
        {
            output, images, seed, classes, difficultBelow, minSide, maxSide, maxObjects, objectSize,
        };
        command.Subcommands.Add(SynthVideoCommand.Create());
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = new SyntheticDatasetOptions
            {
                Images = parse.GetValue(images),
                Seed = parse.GetValue(seed),
                ClassNames = parse.GetValue(classes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                DifficultBelow = parse.GetValue(difficultBelow),
                MinSide = parse.GetValue(minSide),
                MaxSide = parse.GetValue(maxSide),
                MaxObjects = parse.GetValue(maxObjects),
                ObjectPixels = parse.GetValue(objectSize) is { } size ? Range(size, "--object-size") : null,
            };
            options.Validate();
            var clock = Stopwatch.StartNew();
            var progress = new TenthsProgress(options.Images);
            var summary = SyntheticDataset.Generate(parse.GetValue(output)!, options, progress);
            Console.Error.WriteLine();
            Console.WriteLine($"Wrote {summary.Images} images in {clock.Elapsed.TotalSeconds:F1} s to {summary.Directory}");
            Console.WriteLine("Splits: " + string.Join(", ", summary.ImagesPerSplit.Select(p => $"{p.Key} {p.Value}")));
            Console.WriteLine("Objects: " + string.Join(", ", summary.ClassNames.Zip(summary.ObjectsPerClass, (n, c) => $"{n} {c}"))
                + $" ({summary.Difficult} difficult)");
            Console.WriteLine($"Read it with --data {summary.VocSpec} (--split train|val|test|trainval) or --data {summary.CocoSpec("trainval")}");
            return 0;
        }));
        return command;
    }

    /// <summary>A range MIN-MAX of positive numbers, as <c>--object-size</c> takes it.</summary>
    internal static (double Min, double Max) Range(string text, string option)
    {
        var parts = text.Split('-');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var max))
            return (min, max);
        throw new SsdInputException($"{option}: expected MIN-MAX (e.g. 10-30), got '{text}'");
    }

    /// <summary>Prints "done/total images" at each tenth, synchronously so that it ends before the summary.</summary>
    private sealed class TenthsProgress(int total) : IProgress<int>
    {
        private int _reported;

        public void Report(int done)
        {
            int tenth = done * 10 / total;
            // Workers finish out of order; only the first to pass a tenth prints it.
            int seen = Volatile.Read(ref _reported);
            if (tenth > seen && Interlocked.CompareExchange(ref _reported, tenth, seen) == seen)
                Console.Error.Write($"\r{done}/{total} images");
        }
    }
}
