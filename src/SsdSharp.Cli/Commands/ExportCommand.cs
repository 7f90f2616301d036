using System.CommandLine;
using SsdSharp.Configuration;
using SsdSharp.IO;
using SsdSharp.Onnx;
using SsdSharp.Weights;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd export</c>: a model or ssd.pytorch checkpoint as an ONNX model that needs nothing else to run.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "SsdSharp model file, or ssd.pytorch .pth with --config.", Required = true };
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for .pth; overrides a model's class names)." };
        var output = new Option<string>("--output") { Description = "The .onnx file to write.", Required = true };
        var opset = NumericOption.Create("--opset", $"ONNX operator set, {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}.",
            new NumberRange<int>(OnnxExportOptions.MinOpset, OnnxExportOptions.MaxOpset), new OnnxExportOptions().Opset);
        var withNms = new Option<bool>("--with-nms") { Description = "Also run the per-class NMS in the graph: output 'detections' [M, 7]." };
        var command = new Command("export", "Export a model to ONNX (input 'images', outputs 'boxes' and 'scores'; metadata for consumers).")
        {
            weights, config, output, opset, withNms,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = parse.GetValue(weights)!;
            var target = parse.GetValue(output)!;
            if (!OnnxExporter.IsOnnxFile(target)) throw new SsdInputException($"--output {target}: expected a file name ending in .onnx");
            InputFile.CheckReadable(source, "a model file or PyTorch checkpoint");
            // Checked before the export, like every output: never an input, and writable.
            new OutputPlan().Reads(source, parse.GetValue(config)).File("--output", target);
            var options = new OnnxExportOptions { Opset = parse.GetValue(opset), WithNms = parse.GetValue(withNms) }.Validate();
            var (resolved, stateDict) = ModelWeights.Load(source, parse.GetValue(config) is { } c ? SsdConfig.Load(c) : null);
            OnnxExporter.Save(target, resolved, stateDict, options, source);
            Terminal.Error.MarkupLineInterpolated(
                $"wrote {target}: {resolved.Name}, {resolved.NumClasses} classes, {resolved.NumPriors} default boxes, opset {options.Opset}{(options.WithNms ? ", with NMS" : "")}, {new FileInfo(target).Length / 1e6:F1} MB");
            return 0;
        }));
        return command;
    }
}
