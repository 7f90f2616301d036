using System.CommandLine;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Explaining;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.IO;
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

    private static Option<string> Out() => new("--out") { Description = "Folder to write the pictures into: a new or empty folder, or one ssd made.", Required = true };

    private static Command Priors()
    {
        var config = new Option<string>("--config") { Description = "Preset or JSON config.", DefaultValueFactory = _ => "voc300" };
        var image = new Option<string?>("--image") { Description = "Draw on this image (stretched to the input) instead of an empty input." };
        var output = Out();
        var force = ForceOption.Create();
        var command = new Command("priors", "For each source map: the default boxes of a few cells (every aspect ratio and the extra scale), the centres of all cells, the scales and ratios.")
        {
            config, image, output, force,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var configName = parse.GetValue(config)!;
            var imagePath = parse.GetValue(image);
            if (imagePath != null) InputFile.CheckReadable(imagePath, "an image file");
            var c = ModelResolver.LoadConfig(configName);
            var plan = new OutputPlan().Reads(configName, imagePath);
            var folder = plan.Folder("--out", parse.GetValue(output)!, parse.GetValue(force));
            foreach (var name in PriorsExplanation.FileNames(c)) plan.FileIn("--out", folder, name);
            using var bitmap = imagePath is null ? null : ImageDecoder.Decode(imagePath);
            Report(PriorsExplanation.Draw(c, bitmap, folder.Path));
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
        var force = ForceOption.Create();
        var command = new Command("match", "For one training image: the ground truth, the default boxes matched to each object (and forced best matches), and with --weights the hard negatives.")
        {
            config, data, split, id, threshold, weights, output, force,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            double iou = parse.GetValue(threshold);
            if (!(iou is > 0 and <= 1)) throw new SsdInputException($"--threshold: must be in (0, 1], got {iou}");
            var configName = parse.GetValue(config);
            var weightsFile = parse.GetValue(weights);
            if (weightsFile != null) InputFile.CheckReadable(weightsFile, "a model file");
            var spec = DatasetArgument.Parse(parse.GetValue(data)!);
            var plan = new OutputPlan().Reads(weightsFile, configName).ReadsDataset(spec);
            var folder = plan.Folder("--out", parse.GetValue(output)!, parse.GetValue(force));
            using var network = weightsFile is null ? null : ImportedWeights.LoadNetwork(weightsFile, configName is null ? null : ModelResolver.LoadConfig(configName));
            var c = network?.Config ?? ModelResolver.LoadConfig(configName ?? "voc300");
            var dataset = DatasetReader.Read(spec, DatasetReadOptions.ForTraining(c.ClassNames, parse.GetValue(split)!));
            var wanted = parse.GetValue(id)!;
            var image = dataset.Images.FirstOrDefault(i => i.Id == wanted)
                ?? throw new SsdInputException($"--id: no image '{wanted}' in {spec} ({dataset.Images.Count} images, first: {string.Join(", ", dataset.Images.Take(3).Select(i => i.Id))})");
            var file = plan.Reads(image.ImagePath).FileIn("--out", folder, $"match-{image.Id}.png");
            var match = MatchExplainer.Explain(c, image, iou, network);
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
        // The candidates drawn start at 0.3 (the model's 0.01 would bury the picture); NMS and top-k are the model's unless
        // given, so that the explanation shows what `ssd detect` does with the same model.
        var confThreshold = NumericOption.Create("--conf-threshold", "Minimum class score of a candidate, in [0, 1).", new NumberRange<double>(0, 1, MaxOpen: true), 0.3);
        var nmsThreshold = NumericOption.Optional("--nms-threshold", "NMS IoU threshold, in (0, 1]. Default: the model's, as ssd detect.", new NumberRange<double>(0, 1, MinOpen: true));
        var topK = NumericOption.Optional("--top-k", "Candidates and kept boxes per class. Default: the model's, as ssd detect.", new NumberRange<int>(1));
        var image = new Argument<string>("IMAGE") { Description = "The image." };
        var output = Out();
        var force = ForceOption.Create();
        var command = new Command("detect", "The detections of one image before and after NMS, per class, and the source map of each kept box.")
        {
            weights, config, confThreshold, nmsThreshold, topK, image, output, force,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var imagePath = parse.GetValue(image)!;
            InputFile.CheckReadable(imagePath, "an image file");
            var plan = new OutputPlan().Reads(imagePath, parse.GetValue(weights), parse.GetValue(config));
            var folder = plan.Folder("--out", parse.GetValue(output)!, parse.GetValue(force));
            using var detector = ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), new DetectorOptions());
            var own = detector.Detection;
            detector.Detection = own with
            {
                ConfidenceThreshold = parse.GetValue(confThreshold),
                NmsThreshold = parse.GetValue(nmsThreshold) ?? own.NmsThreshold,
                TopK = parse.GetValue(topK) ?? own.TopK,
            };
            var explanation = DetectionExplanation.Of(detector, imagePath);
            // The pictures are one per class with candidates: known, and claimed, once the image is detected.
            foreach (var name in explanation.FileNames(detector.Config)) plan.FileIn("--out", folder, name);
            var used = detector.Detection;
            Console.WriteLine(FormattableString.Invariant(
                $"{explanation.Candidates.Count} candidates (score > {used.ConfidenceThreshold}, top {used.TopK} {(used.ClassAgnostic ? "over all classes" : "per class")}) before NMS at {used.NmsThreshold}, {explanation.Kept.Count} detections after"));
            foreach (var d in explanation.Kept)
                Console.WriteLine($"  {detector.Config.LabelOf(d.Detection.ClassId),-12} {d.Detection.Score:F3}  source {d.Location.Source} cell ({d.Location.Row}, {d.Location.Column}) box {d.Location.Box}  prior {d.Detection.Prior}");
            Report(explanation.Draw(detector.Config, detector.Detection, folder.Path));
            return 0;
        }));
        return command;
    }

    private static void Report(IEnumerable<string> files)
    {
        foreach (var file in files) Terminal.Error.MarkupLineInterpolated($"[grey]drew {file}[/]");
    }
}
