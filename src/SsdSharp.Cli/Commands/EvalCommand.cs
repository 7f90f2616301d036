using System.CommandLine;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Training;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd eval</c>: VOC and COCO metrics of a model over a dataset split, or of precomputed detections
/// (an <c>ssd detect</c> JSON file or a COCO results list).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset: VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR].", Required = true };
        var split = new Option<string>("--split") { Description = "VOC image set (ImageSets/Main/SPLIT.txt); COCO files are one split.", DefaultValueFactory = _ => "test" };
        var detections = new Option<string?>("--detections") { Description = "Precomputed detections: ssd detect JSON or a COCO results list." };
        var weights = new Option<string?>("--weights") { Description = "Model to run over the split (SsdSharp model, torchvision SSD300 .pth, or ssd.pytorch .pth with --config). Default: the bundled model." };
        var config = new Option<string?>("--config") { Description = "Preset or JSON config: the classes to evaluate (default: the model's, or those found in the data)." };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass (with --weights).", DefaultValueFactory = _ => 8 };
        var device = DeviceOption.Create();
        var saveDetections = new Option<string?>("--save-detections") { Description = "With --weights: also write the detections (ssd detect JSON form) to this file." };
        var metric = new Option<string?>("--metric") { Description = "voc, coco or both (default: the dataset's own)." };
        metric.AcceptOnlyFromAmong("voc", "coco", "both");
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var output = new Option<string?>("--output") { Description = "Write the report to this file instead of stdout." };
        var plots = new Option<string?>("--plots") { Description = "Write a precision–recall curve per class and an AP bar chart (PNG) into this folder." };
        var backendOptions = new BackendOptions();
        var command = new Command("eval", "Evaluate detections against a dataset with the VOC and COCO protocols.")
        {
            data, split, detections, weights, config, batch, device, saveDetections, metric, format, output, plots,
        };
        backendOptions.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var detectionsFile = parse.GetValue(detections);
            var weightsFile = parse.GetValue(weights);
            if (detectionsFile is not null && weightsFile is not null)
                throw new SsdInputException("eval: give either --detections FILE or --weights MODEL, not both");
            if (parse.GetValue(saveDetections) is not null && detectionsFile is not null)
                throw new SsdInputException("eval: --save-detections saves a model's detections; it does not go with --detections");

            var spec = DatasetSpec.Parse(parse.GetValue(data)!);
            EvaluationReport report;
            if (detectionsFile is null)
            {
                // Without --weights the bundled model runs.
                var options = backendOptions.Apply(parse,
                    new DetectorOptions { BatchSize = parse.GetValue(batch), Device = DeviceOption.Parse(parse, device) }, weightsFile);
                using var detector = ModelResolver.CreateDetector(weightsFile, parse.GetValue(config), options);
                detector.Detection = ModelEvaluation.DetectionOptionsFor(detector.Config);
                var truth = ReadTruth(spec, parse.GetValue(split)!, detector.Config.ClassNames);
                var results = DetectWithProgress(detector, truth.Images);
                if (parse.GetValue(saveDetections) is { } file)
                {
                    AtomicFile.WriteAllText(file, DetectionFileWriter.ToJson(results.Select(r => r.Detections)));
                    Terminal.Error.MarkupLineInterpolated($"[grey]wrote detections of {results.Count} image(s) to {file}[/]");
                }
                report = ModelEvaluation.Score(results, truth.ClassNames, MetricFor(truth, parse.GetValue(metric)));
            }
            else
            {
                var classNames = parse.GetValue(config) is { } c ? Configuration.SsdConfig.Load(c).ClassNames : null;
                var truth = ReadTruth(spec, parse.GetValue(split)!, classNames);
                report = ModelEvaluation.Score(truth.Images, DetectionFileReader.Read(detectionsFile!, truth), truth.ClassNames, MetricFor(truth, parse.GetValue(metric)));
            }

            if (parse.GetValue(plots) is { } folder)
            {
                var files = EvaluationCharts.Write(report, folder);
                Terminal.Error.MarkupLineInterpolated($"[grey]wrote {files.Count} plot(s) to {folder}[/]");
            }
            var json = parse.GetValue(format) == "json";
            if (parse.GetValue(output) is { } target)
            {
                AtomicFile.WriteAllText(target, json ? report.ToJson() : EvalOutput.ToText(report));
                Terminal.Error.MarkupLineInterpolated($"[grey]wrote the report to {target}[/]");
            }
            else if (json) Console.Out.Write(report.ToJson());
            else EvalOutput.Write(report, Terminal.Out);
            return 0;
        }));
        return command;
    }

    private static AnnotatedDataset ReadTruth(DatasetSpec spec, string split, IReadOnlyList<string>? classNames)
    {
        var truth = DatasetReader.Read(spec, DatasetReadOptions.ForEvaluation(classNames, split));
        // Repairs and skips change what is evaluated: say so, on stderr so that the report stays clean.
        if (truth.Problems.Count > 0)
        {
            Terminal.Error.MarkupLineInterpolated($"[yellow]{truth.Problems.Count} problem(s) in the ground truth (ssd dataset stats lists them); first: {truth.Problems[0]}[/]");
        }
        if (truth.Images.Count == 0)
        {
            var what = spec.Format == DatasetFormat.Voc ? $"{spec}: split '{split}' has no images" : $"{spec}: no images";
            throw new SsdInputException(truth.Problems.Count == 0 ? what : $"{what} left after {truth.Problems.Count} problem(s); first: {truth.Problems[0]}");
        }
        return truth;
    }

    /// <summary>The metric asked for, or the dataset's own protocol.</summary>
    private static EvaluationMetric MetricFor(AnnotatedDataset truth, string? metric) => metric switch
    {
        "voc" => EvaluationMetric.Voc,
        "coco" => EvaluationMetric.Coco,
        "both" => EvaluationMetric.Both,
        _ => truth.Spec.Format == DatasetFormat.Voc ? EvaluationMetric.Voc : EvaluationMetric.Coco,
    };

    /// <summary>Runs the model over the split with a progress bar on stderr.</summary>
    private static IReadOnlyList<EvaluatedImage> DetectWithProgress(SsdDetector detector, IReadOnlyList<ImageAnnotation> images)
    {
        IReadOnlyList<EvaluatedImage> results = [];
        Terminal.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"detecting in {images.Count} images", maxValue: images.Count);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                results = ModelEvaluation.Detect(detector, images, new SynchronousProgress<int>(done =>
                {
                    task.Value = done;
                    task.Description = $"detecting: {done}/{images.Count} images, {done / clock.Elapsed.TotalSeconds:F1} images/s";
                }));
            });
        return results;
    }
}
