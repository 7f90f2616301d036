using System.CommandLine;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.IO;
using SsdSharp.Onnx;
using SsdSharp.Onnx.Quantization;
using SsdSharp.Preprocessing;
using SsdSharp.Training;
using SsdSharp.Weights;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd export</c>: a model, torchvision or ssd.pytorch checkpoint as an ONNX model that needs nothing else to run;
/// with <c>--quantize int8</c>, calibrated on images of a dataset and quantized (QDQ form).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var weights = WeightsOption.Create("--weights", "SsdSharp model file, torchvision SSD300 .pth, or ssd.pytorch .pth with --config.");
        weights.Required = true;
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for an ssd.pytorch .pth; overrides a model's class names)." };
        var output = new Option<string>("--output") { Description = "The .onnx file to write.", Required = true };
        var opset = NumericOption.Create("--opset", $"ONNX operator set, {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}.",
            new NumberRange<int>(OnnxExportOptions.MinOpset, OnnxExportOptions.MaxOpset), new OnnxExportOptions().Opset);
        var withNms = new Option<bool>("--with-nms") { Description = "Also run the per-class NMS in the graph: output 'detections' [M, 7]." };
        var quantize = new Option<string?>("--quantize") { Description = "int8: static quantization calibrated on --calibration images (docs/quantization.md)." };
        quantize.AcceptOnlyFromAmong("int8");
        var calibration = new Option<string?>("--calibration") { Description = "With --quantize: dataset of calibration images, VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR]." };
        var split = new Option<string>("--split") { Description = "VOC image set of the calibration images (never the test images).", DefaultValueFactory = _ => "trainval" };
        var images = NumericOption.Create("--calibration-images", "Calibration images, chosen from the split by --seed.", new NumberRange<int>(1), 256);
        var method = new Option<string>("--calibration-method")
        {
            Description = "How activation ranges are chosen: minmax, percentile (99.999 % of |x|) or entropy (KL divergence).",
            DefaultValueFactory = _ => OnnxQuantizer.MethodName(new QuantizationOptions().Method),
        };
        method.AcceptOnlyFromAmong("minmax", "percentile", "entropy");
        var seed = NumericOption.Create("--seed", "Chooses the calibration images.", new NumberRange<int>(0), 0);
        var keepFloat = new Option<string?>("--keep-float")
        {
            Description = "Convolutions left in float, comma-separated names or prefixes (vgg.0, loc, conf); default: none.",
        };
        var activations = new Option<string>("--activations") { Description = "Type of quantized activations: uint8 or int8.", DefaultValueFactory = _ => "uint8" };
        activations.AcceptOnlyFromAmong("uint8", "int8");
        var command = new Command("export", "Export a model to ONNX (input 'images', outputs 'boxes' and 'scores'; metadata for consumers), optionally int8.")
        {
            weights, config, output, opset, withNms, quantize, calibration, split, images, method, seed, keepFloat, activations,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = parse.GetValue(weights)!;
            var target = parse.GetValue(output)!;
            if (!OnnxExporter.IsOnnxFile(target)) throw new SsdInputException($"--output {target}: expected a file name ending in .onnx");
            InputFile.CheckReadable(source, "a model file or PyTorch checkpoint");
            bool int8 = parse.GetValue(quantize) is not null;
            var calibrationText = parse.GetValue(calibration);
            if (int8 && calibrationText is null) throw new SsdInputException("--quantize int8: needs --calibration DATASET (images the model is calibrated on)");
            if (!int8) CommandLineErrors.RefuseGiven(parse, [calibration, split, images, method, seed, keepFloat, activations], name => $"{name}: only with --quantize int8");
            var spec = calibrationText is null ? null : DatasetArgument.Parse(calibrationText);
            // Checked before the export, like every output: never an input, and writable.
            new OutputPlan().Reads(source, parse.GetValue(config)).ReadsDataset(spec).File("--output", target);
            var options = new OnnxExportOptions { Opset = parse.GetValue(opset), WithNms = parse.GetValue(withNms) }.Validate();
            var quantization = int8
                ? new QuantizationOptions
                {
                    Method = parse.GetValue(method) switch { "minmax" => CalibrationMethod.MinMax, "percentile" => CalibrationMethod.Percentile, _ => CalibrationMethod.Entropy },
                    Activations = parse.GetValue(activations) == "int8" ? ActivationType.Int8 : ActivationType.UInt8,
                    KeepFloat = parse.GetValue(keepFloat) is { } names
                        ? CommaSeparated.Items("--keep-float", names, "convolution names or prefixes separated by commas, or '' for none", blankAllowed: true)
                        : QuantizationOptions.DefaultKeepFloat,
                    Export = options,
                }.Validate()
                : null;
            var (resolved, stateDict) = ModelWeights.Load(source, parse.GetValue(config) is { } c ? ModelResolver.LoadConfig(c) : null);
            if (quantization is null)
            {
                OnnxExporter.Save(target, resolved, stateDict, options, source);
            }
            else
            {
                OnnxQuantizer.CheckOptions(resolved, stateDict, quantization, source);
                var splitName = parse.GetValue(split)!;
                var set = CalibrationImages.From(spec!, splitName, NetworkInputFormat.From(resolved), parse.GetValue(images), parse.GetValue(seed));
                var described = $"{spec!.Format.ToString().ToUpperInvariant()}:{string.Join(',', spec.Paths)}, split {splitName}, seed {parse.GetValue(seed)}";
                Calibrate(target, resolved, stateDict, set, quantization, described, source);
            }
            var int8Note = quantization is null ? "" : $", int8 ({OnnxQuantizer.MethodName(quantization.Method)} calibration)";
            Terminal.Error.MarkupLineInterpolated(
                $"wrote {target}: {resolved.Name}, {resolved.NumClasses} classes, {resolved.NumPriors} default boxes, opset {options.Opset}{(options.WithNms ? ", with NMS" : "")}{int8Note}, {new FileInfo(target).Length / 1e6:F1} MB");
            return 0;
        }));
        return command;
    }

    /// <summary>Quantizes with a progress bar per calibration pass on stderr.</summary>
    private static void Calibrate(string target, SsdConfig config, IReadOnlyDictionary<string, HostTensor> stateDict, CalibrationImages images,
        QuantizationOptions options, string described, string source)
    {
        Terminal.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                OnnxQuantizer.Save(target, config, stateDict, images, options, new SynchronousProgress<CalibrationProgress>(p =>
                {
                    if (p.Done == 0)
                    {
                        task?.StopTask();
                        task = ctx.AddTask($"calibrating, pass {p.Pass}/{p.Passes}", maxValue: p.Total);
                        clock.Restart();
                    }
                    task!.Value = p.Done;
                    task.Description = $"calibrating, pass {p.Pass}/{p.Passes} ({(p.Pass == 1 ? "ranges" : "histograms")}): {p.Done}/{p.Total} images, {p.Done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F1} images/s";
                }), described, source);
            });
    }
}
