using System.CommandLine;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Explaining;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Weights;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd explain</c>: pictures of what SSD does inside — default boxes, matching, post-processing.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var command = new Command("explain", "Draw how SSD works on an image: its default boxes, how training matches them to objects, and what NMS keeps.");
        command.Subcommands.Add(Priors());
        command.Subcommands.Add(Match());
        command.Subcommands.Add(Detect());
        return command;
    }

    private static Option<string> Out() => new("--out") { Description = "Folder to write the pictures into.", Required = true };

    private static Command Priors()
    {
        var config = new Option<string>("--config") { Description = "Preset or JSON config.", DefaultValueFactory = _ => "voc300" };
        var image = new Option<string?>("--image") { Description = "Draw on this image (stretched to the input) instead of an empty input." };
        var output = Out();
        var command = new Command("priors", "For each source map: the default boxes of a few cells (every aspect ratio and the extra scale), the centres of all cells, the scales and ratios.")
        {
            config, image, output,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var c = SsdConfig.Load(parse.GetValue(config)!);
            using var bitmap = parse.GetValue(image) is { } path ? ImageDecoder.Decode(path) : null;
            Report(PriorsExplanation.Draw(c, bitmap, parse.GetValue(output)!));
            return 0;
        }));
        return command;
    }

    private static Command Match()
    {
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (default voc300; with --weights, the model's)." };
        var data = new Option<string>("--data") { Description = "Dataset spec, as for ssd train (a VOC root, or COCO json and images).", Required = true };
        var split = new Option<string>("--split") { Description = "VOC split.", DefaultValueFactory = _ => "trainval" };
        var id = new Option<string>("--id") { Description = "Image id: the VOC file stem, or the COCO image id.", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "Matching IoU threshold.", DefaultValueFactory = _ => 0.5 };
        var weights = WeightsOption.Create("--weights", "A model whose confidences pick the hard negatives (3:1 mining); without it none are drawn.");
        var output = Out();
        var command = new Command("match", "For one training image: the ground truth, the default boxes matched to each object (and forced best matches), and with --weights the hard negatives.")
        {
            config, data, split, id, threshold, weights, output,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            double iou = parse.GetValue(threshold);
            if (!(iou is > 0 and <= 1)) throw new SsdInputException($"--threshold: must be in (0, 1], got {iou}");
            var configName = parse.GetValue(config);
            using var network = parse.GetValue(weights) is { } w ? ImportedWeights.LoadNetwork(w, configName is null ? null : ModelResolver.LoadConfig(configName)) : null;
            var c = network?.Config ?? SsdConfig.Load(configName ?? "voc300");
            var spec = parse.GetValue(data)!;
            var dataset = DatasetReader.Read(spec, DatasetReadOptions.ForTraining(c.ClassNames, parse.GetValue(split)!));
            var wanted = parse.GetValue(id)!;
            var image = dataset.Images.FirstOrDefault(i => i.Id == wanted)
                ?? throw new SsdInputException($"--id: no image '{wanted}' in {spec} ({dataset.Images.Count} images, first: {string.Join(", ", dataset.Images.Take(3).Select(i => i.Id))})");
            var match = MatchExplainer.Explain(c, image, iou, network);
            var file = Path.Combine(parse.GetValue(output)!, $"match-{image.Id}.png");
            Directory.CreateDirectory(parse.GetValue(output)!);
            MatchPicture.Save(match, c, file);
            foreach (var line in MatchPicture.Legend(match, c)) Console.WriteLine(line.Text);
            Report([file]);
            return 0;
        }));
        return command;
    }

    private static Command Detect()
    {
        var weights = WeightsOption.Create("--weights", "SsdSharp model file, or ssd.pytorch .pth with --config. Default: the bundled shapes300.");
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for .pth)." };
        var confThreshold = new Option<double>("--conf-threshold") { Description = "Minimum class score of a candidate.", DefaultValueFactory = _ => 0.3 };
        var nmsThreshold = new Option<double>("--nms-threshold") { Description = "NMS IoU threshold.", DefaultValueFactory = _ => 0.45 };
        var topK = new Option<int>("--top-k") { Description = "Candidates and kept boxes per class.", DefaultValueFactory = _ => 200 };
        var image = new Argument<string>("IMAGE") { Description = "The image." };
        var output = Out();
        var command = new Command("detect", "The detections of one image before and after NMS, per class, and the source map of each kept box.")
        {
            weights, config, confThreshold, nmsThreshold, topK, image, output,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = new DetectorOptions
            {
                Detection = new DetectionOptions
                {
                    ConfidenceThreshold = parse.GetValue(confThreshold),
                    NmsThreshold = parse.GetValue(nmsThreshold),
                    TopK = parse.GetValue(topK),
                }.Validate(),
            };
            using var detector = ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), options);
            var explanation = DetectionExplanation.Of(detector, parse.GetValue(image)!);
            Console.WriteLine($"{explanation.Candidates.Count} candidates before NMS, {explanation.Kept.Count} detections after");
            foreach (var d in explanation.Kept)
                Console.WriteLine($"  {detector.Config.LabelOf(d.Detection.ClassId),-12} {d.Detection.Score:F3}  source {d.Location.Source} cell ({d.Location.Row}, {d.Location.Column}) box {d.Location.Box}  prior {d.Detection.Prior}");
            Report(explanation.Draw(detector.Config, options.Detection, parse.GetValue(output)!));
            return 0;
        }));
        return command;
    }

    private static void Report(IEnumerable<string> files)
    {
        foreach (var file in files) Terminal.Error.MarkupLineInterpolated($"[grey]drew {file}[/]");
    }
}
