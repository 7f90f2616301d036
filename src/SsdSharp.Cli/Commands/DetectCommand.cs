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
        var weights = WeightsOption.Create("--weights", "SsdSharp model file, torchvision SSD300 .pth, or ssd.pytorch .pth with --config. Default: the bundled shapes300.");
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for ssd.pytorch .pth; overrides a model's class names)." };
        var format = new Option<string>("--format") { Description = "json, text, or jsonl (one line per image as it is done: for batch jobs, see docs/scale.md).", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "text", "jsonl");
        var output = new Option<string?>("--output") { Description = "Write the results to this file instead of stdout." };
        var draw = new Option<string?>("--draw") { Description = "Write annotated copies of the images into this folder (PNG, named by the images' paths)." };
        var drawThreshold = NumericOption.Optional("--draw-threshold", "Draw only detections scoring at least this (0 to 1; the output is unaffected). Default: all reported for images, 0.5 for videos.", new NumberRange<double>(0, 1));
        var batch = NumericOption.Create("--batch", "Images per forward pass.", NumericOption.BatchRange, 8);
        var device = DeviceOption.Create();
        var maxMegapixels = ImageLimitOption.Create();
        var force = ForceOption.Create();
        var tta = TestTimeAugmentationOption.Create();
        var backendOptions = new BackendOptions();
        var tiling = new TilingOptions();
        var postProcessing = new PostProcessingOptions("the model's (200)");
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Image files or folders; video files, rtsp:// or http:// streams, /dev/videoN (docs/video.md).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        inputs.Validators.Add(CommandLineErrors.RefuseOptionLikePaths);
        var command = new Command("detect", "Detect objects in images, videos, cameras and streams.") { weights, config, inputs };
        // Listed in --help right after the model options: they change what the model reports.
        postProcessing.AddTo(command);
        foreach (var option in new Option[] { format, output, draw, drawThreshold, batch, device, tta, maxMegapixels, force })
            command.Options.Add(option);
        tiling.AddTo(command);
        var video = new DetectVideo();
        video.AddTo(command);
        backendOptions.AddTo(command);
        var jsonLines = new DetectJsonLines();
        jsonLines.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            ImageLimitOption.Apply(parse, maxMegapixels);
            var drawDir = parse.GetValue(draw);
            double? minDrawnScore = parse.GetValue(drawThreshold);
            if (minDrawnScore != null && drawDir == null) throw new SsdInputException("--draw-threshold needs --draw DIR");
            // The model's post-processing defaults, with what the options set; checked before the model loads.
            postProcessing.Check(parse);
            var options = new DetectorOptions
            {
                BatchSize = parse.GetValue(batch),
                Device = DeviceOption.Parse(parse, device),
                TestTimeAugmentation = parse.GetValue(tta),
            };
            options = backendOptions.Apply(parse, options, parse.GetValue(weights));
            SsdDetector CreateDetector()
            {
                var detector = ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), options);
                detector.Detection = postProcessing.Apply(parse, detector.Detection);
                return detector;
            }
            var tiles = tiling.Parse(parse);
            var given = parse.GetValue(inputs) ?? [];
            // Every output is checked before the model loads: none may replace an input, and each must be writable.
            var plan = new OutputPlan().Reads(parse.GetValue(weights), parse.GetValue(config));
            if (video.Applies(parse, given))
            {
                if (parse.GetResult(format) is { Implicit: false } && parse.GetValue(format) != "jsonl")
                    throw new SsdInputException("videos give JSON Lines, a line per frame: use --format jsonl or leave --format out");
                jsonLines.RefuseWithoutJsonLines(parse);
                return video.Run(parse, given, plan, parse.GetValue(output), drawDir, parse.GetValue(force), minDrawnScore, tiles, CreateDetector);
            }
            if (given.Length == 0) throw new SsdInputException("no input given: name image files or folders, videos, or --camera N");
            if (parse.GetValue(format) == "jsonl")
            {
                if (tiles != null) throw new SsdInputException("--tile is not available with --format jsonl on images");
                return jsonLines.Run(parse, given, plan, parse.GetValue(output), drawDir != null, CreateDetector);
            }
            jsonLines.RefuseWithoutJsonLines(parse);
            var paths = ImageInputs.Expand(given);
            plan.Reads(paths);
            var file = parse.GetValue(output) is { } o ? plan.File("--output", o) : null;
            var drawings = drawDir is null ? null
                : plan.DerivedFilesIn("--draw", plan.Folder("--draw", drawDir, parse.GetValue(force)), paths, ".png");

            using var detector = CreateDetector();
            var (results, failures) = Run(detector, paths, tiles);
            if (drawings != null)
            {
                var targets = paths.Zip(drawings).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
                DrawAll(results, targets, minDrawnScore ?? 0);
            }
            var text = parse.GetValue(format) == "json" ? DetectionFileWriter.ToJson(results) : ToText(results);
            if (file != null)
            {
                AtomicFile.WriteAllText(file, text);
                Terminal.Error.MarkupLineInterpolated($"[grey]wrote detections of {results.Count} image(s) to {file}[/]");
            }
            else
            {
                Console.Out.Write(text);
            }
            // The unreadable images were named one per line as they came; the others' results are out.
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
            tiles is null ? detector.DetectFiles(paths, onError) : detector.DetectFilesTiled(paths, tiles, onError);
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

    /// <summary>Draws each image's detections scoring at least <paramref name="minScore"/>, highest first (their captions get the best places).</summary>
    private static void DrawAll(List<ImageDetections> results, Dictionary<string, string> targets, double minScore)
    {
        foreach (var result in results)
        {
            using var bitmap = ImageDecoder.Decode(result.Image);
            BoxPainter.Draw(bitmap, result.Detections.Where(d => d.Score >= minScore).OrderByDescending(d => d.Score).Select(d =>
                new LabeledBox(d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2, $"{d.Label} {d.Score:F2}", d.ClassId)));
            var target = targets[result.Image];
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
