using System.CommandLine;
using SsdSharp.IO;
using SsdSharp.Training;
using SsdSharp.Weights;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd convert</c>: imports an ssd.pytorch or torchvision checkpoint into an SsdSharp model file; or makes the model file of
/// any of a training run's checkpoints (the file the run would write had it ended there), to detect or evaluate with it.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from")
        {
            Description = "ssd.pytorch or torchvision SSD300 checkpoint (.pth, float32 or float16), or a training checkpoint of ssd train " +
                          "(any of a run's shapes512-iter….safetensors, its checkpoint.json beside it).",
            Required = true,
        };
        var config = new Option<string?>("--config")
        {
            Description = "Preset or JSON config describing the checkpoint's network (required for ssd.pytorch; a torchvision checkpoint implies " +
                          "torchvision300; a training checkpoint's is its run's).",
        };
        var output = new Option<string>("--output") { Description = "Model file to write (safetensors with the config embedded).", Required = true };
        var command = new Command("convert", "Import a PyTorch (ssd.pytorch or torchvision) checkpoint, or make a model file of a training checkpoint.") { from, config, output };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = parse.GetValue(from)!;
            InputFile.CheckReadable(source, "a PyTorch checkpoint (.pth) or a training checkpoint");
            var plan = new OutputPlan().Reads(source, parse.GetValue(config));
            var target = plan.File("--output", parse.GetValue(output)!);
            // A training checkpoint is read with its run's checkpoint.json, which the output must not replace.
            plan.Reads(TrainingCheckpoint.FilesRead(source));
            ModelFileOutput.Check("--output", target);
            var given = parse.GetValue(config) is { } name ? ModelResolver.LoadConfig(name) : null;
            using var network = TrainingCheckpoint.IsCheckpoint(source) ? TrainingCheckpoint.LoadNetwork(source, given) : ImportedWeights.LoadNetwork(source, given);
            var c = network.Config;
            NetworkFile.Save(network, target);
            Terminal.Error.MarkupLineInterpolated($"wrote {target}: {c.Name}, {c.NumClasses} classes, {network.parameters().Sum(p => p.numel()):N0} parameters");
            return 0;
        }));
        return command;
    }
}
