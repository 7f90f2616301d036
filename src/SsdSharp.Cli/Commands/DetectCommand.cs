using System.CommandLine;
using SsdSharp.Configuration;
using SsdSharp.Evaluation;
using SsdSharp.Imaging;
using SsdSharp.IO;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd detect</c>: detections for image files and folders.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var weights = new Option<string?>("--weights") { Description = "SsdSharp model file, or ssd.pytorch .pth with --config. Default: the bundled model." };
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for .pth; overrides a model's class names)." };
        var confThreshold = new Option<double>("--conf-threshold") { Description = "Minimum class score.", DefaultValueFactory = _ => 0.01 };
        var nmsThreshold = new Option<double>("--nms-threshold") { Description = "NMS IoU threshold.", DefaultValueFactory = _ => 0.45 };
        var topK = new Option<int>("--top-k") { Description = "Candidates and kept boxes per class.", DefaultValueFactory = _ => 200 };
        var maxDetections = new Option<int>("--max-detections") { Description = "Most detections per image (0: no cap).", DefaultValueFactory = _ => 200 };
        var classAgnostic = new Option<bool>("--class-agnostic") { Description = "One NMS over all classes instead of one per class." };
        var format = new Option<string>("--format") { Description = "json, text, or jsonl (one line per image as it is done: for batch jobs, see docs/scale.md).", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "text", "jsonl");
        var output = new Option<string?>("--output") { Description = "Write the results to this file instead of stdout." };
        var draw = new Option<string?>("--draw") { Description = "Write annotated copies of the images into this folder." };
        var drawThreshold = new Option<double?>("--draw-threshold") { Description = "Draw only detections scoring at least this (0 to 1; the output is unaffected). Default: all reported." };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 8 };
        var device = DeviceOption.Create();
        var backendOptions = new BackendOptions();
        var tile = new Option<int?>("--tile") { Description = "Detect large images in square tiles of this many pixels (plus the whole image, merged by NMS): finds small objects, a forward pass per tile." };
        var overlap = new Option<double>("--overlap") { Description = "With --tile: the fraction of a tile that neighbouring tiles share.", DefaultValueFactory = _ => new TileOptions().Overlap };
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Image files or folders; video files, rtsp:// or http:// streams, /dev/videoN (docs/video.md).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("detect", "Detect objects in images, videos, cameras and streams.")
        {
            weights, config, confThreshold, nmsThreshold, topK, maxDetections, classAgnostic, format, output, draw, drawThreshold, batch, device, tile, overlap, inputs,
        };
        var video = new DetectVideo();
        video.AddTo(command);
        backendOptions.AddTo(command);
        var jsonLines = new DetectJsonLines();
        jsonLines.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var drawDir = parse.GetValue(draw);
            double? minDrawnScore = parse.GetValue(drawThreshold);
            if (minDrawnScore is { } t && !(t is >= 0 and <= 1)) throw new SsdInputException($"--draw-threshold: must be in [0, 1], got {t}");
            if (minDrawnScore != null && drawDir == null) throw new SsdInputException("--draw-threshold needs --draw DIR");
            var options = new DetectorOptions
            {
                Detection = new DetectionOptions
                {
                    ConfidenceThreshold = parse.GetValue(confThreshold),
                    NmsThreshold = parse.GetValue(nmsThreshold),
                    TopK = parse.GetValue(topK),
                    MaxDetections = parse.GetValue(maxDetections) is > 0 and var m ? m : null,
                    ClassAgnostic = parse.GetValue(classAgnostic),
                }.Validate(),
                BatchSize = parse.GetValue(batch),
                Device = DeviceOption.Parse(parse, device),
            };
            options = backendOptions.Apply(parse, options, parse.GetValue(weights));
            var tiles = parse.GetValue(tile) is { } size ? new TileOptions { Size = size, Overlap = parse.GetValue(overlap) }.Validate() : null;
            if (tiles is null && parse.GetResult(overlap) is { Implicit: false }) throw new SsdInputException("--overlap needs --tile SIZE");
            var given = parse.GetValue(inputs) ?? [];
            if (video.Applies(parse, given))
            {
                if (parse.GetResult(format) is { Implicit: false } && parse.GetValue(format) != "jsonl")
                    throw new SsdInputException("videos give JSON Lines, a line per frame: use --format jsonl or leave --format out");
                jsonLines.RefuseWithoutJsonLines(parse);
                return video.Run(parse, given, parse.GetValue(output), drawDir, minDrawnScore, tiles,
                    () => ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), options));
            }
            if (given.Length == 0) throw new SsdInputException("no input given: name image files or folders, videos, or --camera N");
            if (parse.GetValue(format) == "jsonl")
            {
                if (tiles != null) throw new SsdInputException("--tile is not available with --format jsonl on images");
                return jsonLines.Run(parse, given, parse.GetValue(output), drawDir != null,
                    () => ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), options));
            }
            jsonLines.RefuseWithoutJsonLines(parse);
            var paths = ImageInputs.Expand(given);
            using var detector = ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), options);
            var (results, failures) = Run(detector, paths, tiles);
            if (drawDir != null) DrawAll(results, drawDir, minDrawnScore ?? 0);
            var text = parse.GetValue(format) == "json" ? DetectionFileWriter.ToJson(results) : ToText(results);
            if (parse.GetValue(output) is { } file)
            {
                AtomicFile.WriteAllText(file, text);
                Terminal.Error.MarkupLineInterpolated($"[grey]wrote detections of {results.Count} image(s) to {file}[/]");
            }
            else
            {
                Console.Out.Write(text);
            }
            return failures == 0 ? 0 : CommandRunner.InputError;
        }));
        return command;
    }

    private static (List<ImageDetections> Results, int Failures) Run(SsdDetector detector, List<string> paths, TileOptions? tiles)
    {
        var results = new List<ImageDetections>();
        int failures = 0;
        void OnError(ImageDecodeException e)
        {
            failures++;
            CommandRunner.WriteError(e.Message);
        }
        IEnumerable<ImageDetections> Detect(Action<ImageDecodeException> onError) =>
            tiles is null ? detector.DetectFiles(paths, onError) : DetectTiled(detector, paths, tiles, onError);
        if (paths.Count == 1)
        {
            results.AddRange(Detect(OnError));
            return (results, failures);
        }
        Terminal.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"detecting in {paths.Count} images", maxValue: paths.Count);
                foreach (var result in Detect(e =>
                {
                    OnError(e);
                    task.Increment(1);
                }))
                {
                    results.Add(result);
                    task.Increment(1);
                }
            });
        return (results, failures);
    }

    /// <summary>Each image in tiles, one after the other (a large image's tiles fill the batches).</summary>
    private static IEnumerable<ImageDetections> DetectTiled(SsdDetector detector, List<string> paths, TileOptions tiles, Action<ImageDecodeException> onError)
    {
        foreach (var path in paths)
        {
            RgbImage image;
            try
            {
                image = RgbImage.Decode(path);
            }
            catch (ImageDecodeException e)
            {
                onError(e);
                continue;
            }
            yield return detector.DetectTiled(image, tiles, path);
        }
    }

    /// <summary>Draws each image's detections scoring at least <paramref name="minScore"/>, highest first (their captions get the best places).</summary>
    private static void DrawAll(List<ImageDetections> results, string folder, double minScore)
    {
        Directory.CreateDirectory(folder);
        foreach (var result in results)
        {
            using var bitmap = ImageDecoder.Decode(result.Image);
            BoxPainter.Draw(bitmap, result.Detections.Where(d => d.Score >= minScore).OrderByDescending(d => d.Score).Select(d =>
                new LabeledBox(d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2, $"{d.Label} {d.Score:F2}", d.ClassId)));
            var target = Path.Combine(folder, Path.GetFileNameWithoutExtension(result.Image) + ".png");
            BoxPainter.Save(bitmap, target);
            Terminal.Error.MarkupLineInterpolated($"[grey]drew {target}[/]");
        }
    }

    private static string ToText(IEnumerable<ImageDetections> results)
    {
        var lines = new List<string>();
        foreach (var r in results)
        {
            lines.Add($"{r.Image} ({r.Width}×{r.Height}): {r.Detections.Count} detection(s)");
            lines.AddRange(r.Detections.Select(d =>
                $"  {d.Label,-14} {d.Score:F3}  [{d.Box.X1:F1}, {d.Box.Y1:F1}, {d.Box.X2:F1}, {d.Box.Y2:F1}]"));
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
