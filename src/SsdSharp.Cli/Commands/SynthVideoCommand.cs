using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using SkiaSharp;
using SsdSharp.Bulk;
using SsdSharp.Configuration;
using SsdSharp.Data.Synthetic;
using SsdSharp.IO;
using SsdSharp.Video;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd synth video</c>: a synthetic video of moving shapes and its ground truth (docs/video.md).</summary>
internal static class SynthVideoCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticVideoOptions();
        var output = new Option<string>("--out") { Description = "The MP4 to write; the ground truth goes beside it as NAME.truth.jsonl.", Required = true };
        var frames = NumericOption.Create("--frames", "Number of frames.", new NumberRange<int>(1), defaults.Frames);
        var sides = new NumberRange<int>(SyntheticVideoOptions.MinSide, SyntheticVideoOptions.MaxSide);
        var width = NumericOption.Create("--width", "Frame width in pixels.", sides, defaults.Width);
        var height = NumericOption.Create("--height", "Frame height in pixels.", sides, defaults.Height);
        var fps = NumericOption.Create("--fps", "Frames per second of the file.",
            new NumberRange<double>(SyntheticVideoOptions.MinFramesPerSecond, SyntheticVideoOptions.MaxFramesPerSecond), defaults.FramesPerSecond);
        var objects = new Option<int>("--objects") { Description = "Moving objects (the first two cross head-on halfway through).", DefaultValueFactory = _ => defaults.Objects };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed gives the same video.", DefaultValueFactory = _ => 0 };
        var classes = new Option<string>("--classes")
        {
            Description = "Comma-separated shape classes, in class-id order.",
            DefaultValueFactory = _ => string.Join(',', SsdPresets.ShapeClasses),
        };
        var force = ForceOption.Create("Replace the video and its ground truth file if they exist.");
        var command = new Command("video", "Generate a synthetic video of shapes moving on known paths (crossing, occluding) and its ground truth, for detection and tracking tests.")
        {
            output, frames, width, height, fps, objects, seed, classes, force,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = new SyntheticVideoOptions
            {
                Frames = parse.GetValue(frames),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
                FramesPerSecond = parse.GetValue(fps),
                Objects = parse.GetValue(objects),
                Seed = parse.GetValue(seed),
                ClassNames = CommaSeparated.Items("--classes", parse.GetValue(classes)!, "shape names separated by commas"),
            };
            // The options before the outputs (whose check makes their folder), the outputs before the work.
            _ = options.Validate();
            var path = parse.GetValue(output)!;
            // The writer makes fragmented MP4 (it plays while written, and after a kill) whatever the name says. (An empty
            // path or a folder is left to the plan, which names it so.)
            if (path.Length > 0 && !Directory.Exists(path) && !path.EndsWith(VideoWriter.FileExtension, StringComparison.OrdinalIgnoreCase))
                throw new SsdInputException($"--out {path}: expected a file name ending in {VideoWriter.FileExtension} (the video is MP4)");
            // Both files are checked before the work: neither may be a folder, lead through a file, or be replaced unasked.
            var plan = new OutputPlan();
            foreach (var file in new[] { plan.File("--out", path), plan.File("--out", TruthPath(path)) })
            {
                if (!parse.GetValue(force) && File.Exists(file))
                    throw new SsdInputException($"--out {file}: exists already; choose another --out, or add --force to replace the video and its ground truth");
            }
            var clock = Stopwatch.StartNew();
            var truth = Write(new SyntheticVideo(options), path);
            Console.WriteLine($"Wrote {options.Frames} frames ({options.Width}×{options.Height}, {options.Objects} objects) in {clock.Elapsed.TotalSeconds:F1} s to {path}, ground truth to {truth}");
            return 0;
        }));
        return command;
    }

    /// <summary>The ground truth file of a synthetic video: one JSON line per frame.</summary>
    public static string TruthPath(string video) => Path.ChangeExtension(video, null) + ".truth.jsonl";

    /// <summary>
    /// Encodes the frames and writes the truth, a line per frame:
    /// <c>{"frame", "time", "objects": [{"id", "label", "class_id", "box": [x1, y1, x2, y2], "difficult"}]}</c>
    /// (VOC-style pixel boxes: first and last pixel). Both go to temporary files that replace <paramref name="path"/>
    /// and <see cref="TruthPath"/> only once the video is encoded: a failed run, even with <c>--force</c>, deletes or
    /// replaces neither.
    /// </summary>
    private static string Write(SyntheticVideo video, string path)
    {
        var truthPath = TruthPath(path);
        AtomicFile.WriteThrough(path, encoded => AtomicFile.Write(truthPath, stream => Encode(video, encoded, stream).GetAwaiter().GetResult()));
        return truthPath;
    }

    private static async Task Encode(SyntheticVideo video, string path, Stream truthStream)
    {
        var options = video.Options;
        await using var writer = VideoWriter.Create(path, options.Width, options.Height, options.FramesPerSecond);
        using var truth = JsonLinesOutput.To(truthStream);
        for (int i = 0; i < options.Frames; i++)
        {
            var (image, objects) = video.Render(i);
            using (image)
            {
                await writer.WriteAsync(image.GetPixelSpan().ToArray());
            }
            var list = new JsonArray();
            foreach (var o in objects)
            {
                var a = o.Annotation;
                list.Add(new JsonObject
                {
                    ["id"] = o.ObjectId,
                    ["label"] = a.Label,
                    ["class_id"] = a.ClassId,
                    ["box"] = new JsonArray(a.X1, a.Y1, a.X2, a.Y2),
                    ["difficult"] = a.Difficult,
                });
            }
            truth.Write(new JsonObject { ["frame"] = i, ["time"] = Math.Round(i / options.FramesPerSecond, 6), ["objects"] = list });
        }
        await writer.CompleteAsync();
    }
}
