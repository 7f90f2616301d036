using System.CommandLine;
using SsdSharp.IO;
using SsdSharp.Weights;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd convert</c>: imports an ssd.pytorch or torchvision checkpoint into an SsdSharp model file.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "ssd.pytorch or torchvision SSD300 checkpoint (.pth, float32 or float16).", Required = true };
        var config = new Option<string?>("--config") { Description = "Preset or JSON config describing the checkpoint's network (required for ssd.pytorch; a torchvision checkpoint implies torchvision300)." };
        var output = new Option<string>("--output") { Description = "Model file to write (safetensors with the config embedded).", Required = true };
        var command = new Command("convert", "Import a PyTorch (ssd.pytorch or torchvision) checkpoint.") { from, config, output };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = parse.GetValue(from)!;
            InputFile.CheckReadable(source, "a PyTorch checkpoint (.pth)");
            var target = new OutputPlan().Reads(source, parse.GetValue(config)).File("--output", parse.GetValue(output)!);
            var given = parse.GetValue(config) is { } name ? ModelResolver.LoadConfig(name) : null;
            using var network = ImportedWeights.LoadNetwork(source, given);
            var c = network.Config;
            NetworkFile.Save(network, target);
            Terminal.Error.MarkupLineInterpolated($"wrote {target}: {c.Name}, {c.NumClasses} classes, {network.parameters().Sum(p => p.numel()):N0} parameters");
            return 0;
        }));
        return command;
    }
}
