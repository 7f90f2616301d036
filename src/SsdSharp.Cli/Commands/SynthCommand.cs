using System.CommandLine;
using System.Diagnostics;
using SsdSharp.Configuration;
using SsdSharp.Data.Synthetic;
using SsdSharp.IO;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd synth</c>: writes the synthetic shapes dataset in VOC and COCO form.</summary>
internal static class SynthCommand
{
    /// <summary>Most images one run makes: a million files already takes hours and tens of gigabytes.</summary>
    private const int MaxImages = 1_000_000;

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Dataset root to write (VOC layout plus instances_{split}.json): a new or empty folder, or one ssd made.", Required = true };
        var images = NumericOption.Create("--images", "Number of images (at most a million).", new NumberRange<int>(1, MaxImages), 0);
        images.Required = true;
        var seed = NumericOption.Create("--seed", "Random seed; the same seed gives the same dataset.", new NumberRange<long>(0), 0L);
        var classes = new Option<string>("--classes")
        {
            Description = "Comma-separated shape classes, in class-id order.",
            DefaultValueFactory = _ => string.Join(',', SsdPresets.ShapeClasses),
        };
        var difficultBelow = NumericOption.Create("--difficult-below",
            "Mark objects difficult when their visible box's shorter side, resized to the 300-px network input, is below this many pixels.",
            new NumberRange<double>(0), new SyntheticDatasetOptions().DifficultBelow);
        var force = ForceOption.Create();
        var defaults = new SyntheticDatasetOptions();
        var minSide = NumericOption.Create("--min-side", "Smallest image side in pixels.", new NumberRange<int>(16, 16384), defaults.MinSide);
        var maxSide = NumericOption.Create("--max-side", "Largest image side in pixels.", new NumberRange<int>(16, 16384), defaults.MaxSide);
        var maxObjects = NumericOption.Create("--max-objects", "Most objects in an image (each has 0 to this many).", new NumberRange<int>(0, 1000), defaults.MaxObjects);
        var objectSize = new Option<string?>("--object-size")
        {
            Description = "Object sizes in image pixels, MIN-MAX (e.g. 10-30 in 2400-pixel images, for tiled detection). Default: relative to the 300-pixel network input.",
        };
        var smallShare = NumericOption.Create("--small-objects",
            "Share of objects drawn 8–20 px at the 300-px network input (the rest 30–220), 0–1: more of the smallest objects to train on.",
            new NumberRange<double>(0, 1), defaults.SmallObjectShare);
        var command = new Command("synth", "Generate a synthetic detection dataset of shapes (JPEG images, VOC xml, COCO json).")
        {
            output, images, seed, classes, difficultBelow, minSide, maxSide, maxObjects, objectSize, smallShare, force,
        };
        command.Subcommands.Add(SynthVideoCommand.Create());
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = new SyntheticDatasetOptions
            {
                Images = parse.GetValue(images),
                Seed = parse.GetValue(seed),
                ClassNames = CommaSeparated.Items("--classes", parse.GetValue(classes)!, "shape names separated by commas"),
                DifficultBelow = parse.GetValue(difficultBelow),
                MinSide = parse.GetValue(minSide),
                MaxSide = parse.GetValue(maxSide),
                MaxObjects = parse.GetValue(maxObjects),
                ObjectPixels = parse.GetValue(objectSize) is { } size ? Range(size, "--object-size") : null,
                SmallObjectShare = parse.GetValue(smallShare),
            };
            options.Validate();
            // A folder of the user's is never written over: it must be new, empty or an earlier synth's.
            var folder = OutputFolder.Prepare("--out", parse.GetValue(output)!, parse.GetValue(force));
            var clock = Stopwatch.StartNew();
            var progress = new TenthsProgress(options.Images);
            var summary = SyntheticDataset.Generate(folder.Path, options, progress);
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
