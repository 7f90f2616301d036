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
        var detections = new Option<string?>("--detections") { Description = "Precomputed detections: ssd detect JSON or a COCO results list (the images need not be present)." };
        var weights = WeightsOption.Create("--weights", "Model to run over the split (SsdSharp model, torchvision SSD300 .pth, or ssd.pytorch .pth with --config). Default: the bundled shapes300.");
        var config = new Option<string?>("--config") { Description = "Preset, JSON config or model file: the classes to evaluate (default: the model's, or those found in the data)." };
        var batch = NumericOption.Create("--batch", "Images per forward pass (with --weights).", NumericOption.BatchRange, 8);
        var device = DeviceOption.Create();
        var saveDetections = new Option<string?>("--save-detections") { Description = "With --weights: also write the detections (ssd detect JSON form) to this file." };
        var metric = new Option<string?>("--metric") { Description = "voc, coco or both (default: the dataset's own)." };
        metric.AcceptOnlyFromAmong("voc", "coco", "both");
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var output = new Option<string?>("--output") { Description = "Write the report to this file instead of stdout." };
        var plots = new Option<string?>("--plots") { Description = "Write a precision–recall curve per class and an AP bar chart (PNG) into this folder." };
        var maxMegapixels = ImageLimitOption.Create();
        var force = ForceOption.Create();
        var tta = TestTimeAugmentationOption.Create();
        var backendOptions = new BackendOptions();
        var tiling = new TilingOptions();
        var postProcessing = new PostProcessingOptions("no cap (evaluation scores every detection, as the reference does)");
        var command = new Command("eval", "Evaluate detections against a dataset with the VOC and COCO protocols.")
        {
            data, split, detections, weights, config, batch, device, tta, saveDetections, metric, format, output, plots, maxMegapixels, force,
        };
        postProcessing.AddTo(command);
        tiling.AddTo(command);
        backendOptions.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            ImageLimitOption.Apply(parse, maxMegapixels);
            var tiles = tiling.Parse(parse);
            var detectionsFile = parse.GetValue(detections);
            var weightsFile = parse.GetValue(weights);
            var configName = parse.GetValue(config);
            if (detectionsFile is not null && weightsFile is not null)
                throw new SsdInputException("eval: give either --detections FILE or --weights MODEL, not both");
            if (parse.GetValue(saveDetections) is not null && detectionsFile is not null)
                throw new SsdInputException("eval: --save-detections saves a model's detections; it does not go with --detections");
            if (tiles != null && detectionsFile is not null)
                throw new SsdInputException("eval: --tile runs the model in tiles; it does not go with --detections");
            if (parse.GetValue(tta) && detectionsFile is not null)
                throw new SsdInputException("eval: --tta runs the model on mirrored images too; it does not go with --detections");
            if (detectionsFile is not null)
                CommandLineErrors.RefuseGiven(parse, postProcessing.All, name => $"eval: {name} sets how the model's detections are post-processed; it does not go with --detections");
            postProcessing.Check(parse);
            if (detectionsFile != null) InputFile.CheckReadable(detectionsFile, "a detections JSON file");

            var spec = DatasetArgument.Parse(parse.GetValue(data)!);
            // The outputs are checked before the detection pass, which can take hours; the images, once the truth names them.
            var plan = new OutputPlan().ReadsDataset(spec).Reads(detectionsFile, weightsFile, configName);
            var reportFile = parse.GetValue(output) is { } o ? plan.File("--output", o) : null;
            var savedFile = parse.GetValue(saveDetections) is { } s ? plan.File("--save-detections", s) : null;
            var plotFolder = parse.GetValue(plots) is { } p ? plan.Folder("--plots", p, parse.GetValue(force)) : null;

            EvaluationReport report;
            int unreadable = 0;
            if (detectionsFile is null)
            {
                // Without --weights the bundled model runs.
                var options = backendOptions.Apply(parse,
                    new DetectorOptions { BatchSize = parse.GetValue(batch), Device = DeviceOption.Parse(parse, device), TestTimeAugmentation = parse.GetValue(tta) },
                    weightsFile);
                using var detector = ModelResolver.CreateDetector(weightsFile, configName, options);
                detector.Detection = postProcessing.Apply(parse, ModelEvaluation.DetectionOptionsFor(detector.Config));
                var truth = ReadTruth(spec, parse.GetValue(split)!, detector.Config.ClassNames, imagesNeeded: true, plan);
                var results = DetectWithProgress(detector, truth.Images, tiles, e =>
                {
                    unreadable++;
                    CommandRunner.WriteError(e.Message);
                });
                if (savedFile != null)
                {
                    AtomicFile.WriteAllText(savedFile, DetectionFileWriter.ToJson(results.Select(r => r.Detections)));
                    Terminal.Error.MarkupLineInterpolated($"[grey]wrote detections of {results.Count} image(s) to {savedFile}[/]");
                }
                if (unreadable > 0)
                    Terminal.Error.MarkupLineInterpolated($"[yellow]{unreadable} unreadable image(s) are left out of the scores, which are of the other {results.Count}[/]");
                report = ModelEvaluation.Score(results, truth.ClassNames, MetricFor(truth, parse.GetValue(metric)));
            }
            else
            {
                // Scoring needs the annotations only: sizes come from them, the images need not be there.
                var classNames = configName is null ? null : ModelResolver.LoadConfig(configName).ClassNames;
                var truth = ReadTruth(spec, parse.GetValue(split)!, classNames, imagesNeeded: false, plan);
                report = ModelEvaluation.Score(truth.Images, ReadDetections(detectionsFile, truth, classesGiven: classNames != null), truth.ClassNames,
                    MetricFor(truth, parse.GetValue(metric)));
            }

            var json = parse.GetValue(format) == "json";
            if (reportFile != null)
            {
                AtomicFile.WriteAllText(reportFile, json ? report.ToJson() : EvalOutput.ToText(report));
                Terminal.Error.MarkupLineInterpolated($"[grey]wrote the report to {reportFile}[/]");
            }
            else if (json) Console.Out.Write(report.ToJson());
            else EvalOutput.Write(report, Terminal.Out);
            // After the report, which took the detection pass: a chart that cannot be drawn must not cost it.
            if (plotFolder != null)
            {
                var files = EvaluationCharts.Write(report, plotFolder.Path);
                Terminal.Error.MarkupLineInterpolated($"[grey]wrote {files.Count} plot(s) to {plotFolder.Path}[/]");
            }
            return unreadable == 0 ? 0 : CommandRunner.InputError;
        }));
        return command;
    }

    /// <summary>
    /// The ground truth of the split, its images registered as inputs with <paramref name="plan"/> (refused when one is an
    /// output), also when only the annotations are read: they are the user's files all the same.
    /// </summary>
    private static AnnotatedDataset ReadTruth(DatasetSpec spec, string split, IReadOnlyList<string>? classNames, bool imagesNeeded, OutputPlan plan)
    {
        var truth = DatasetReader.Read(spec, DatasetReadOptions.ForEvaluation(classNames, split) with { RequireImageFiles = imagesNeeded });
        plan.Reads(truth.Images.Select(i => i.ImagePath));
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

    /// <summary>
    /// The detections of a file. Without <c>--config</c> the classes are those the ground truth's objects
    /// have: a VOC split where a class has no object does not know it, and a detection of it is explained.
    /// </summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<Detection>> ReadDetections(string file, AnnotatedDataset truth, bool classesGiven)
    {
        try
        {
            return DetectionFileReader.Read(file, truth);
        }
        catch (SsdInputException e) when (!classesGiven && truth.Spec.Format == DatasetFormat.Voc
            && (e.Message.Contains("unknown class", StringComparison.Ordinal) || e.Message.Contains("unknown category_id", StringComparison.Ordinal)))
        {
            throw new SsdInputException($"{e.Message}. Without --config the classes are those of the objects in {truth.Spec}; " +
                "give the model's classes with --config (a preset, a configuration JSON or the model file)", e);
        }
    }

    /// <summary>The metric asked for, or the dataset's own protocol.</summary>
    private static EvaluationMetric MetricFor(AnnotatedDataset truth, string? metric) => metric switch
    {
        "voc" => EvaluationMetric.Voc,
        "coco" => EvaluationMetric.Coco,
        "both" => EvaluationMetric.Both,
        _ => truth.Spec.Format == DatasetFormat.Voc ? EvaluationMetric.Voc : EvaluationMetric.Coco,
    };

    /// <summary>
    /// Runs the model over the split (in tiles where <paramref name="tiles"/> says) with a progress bar on stderr; an
    /// unreadable image goes to <paramref name="onError"/> and is left out.
    /// </summary>
    private static IReadOnlyList<EvaluatedImage> DetectWithProgress(SsdDetector detector, IReadOnlyList<ImageAnnotation> images, TileOptions? tiles,
        Action<Imaging.ImageDecodeException> onError)
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
                }), onError, tiles: tiles);
            });
        return results;
    }
}
