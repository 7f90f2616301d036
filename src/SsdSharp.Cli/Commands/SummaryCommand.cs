using System.CommandLine;
using System.Text.Json;
using SsdSharp.Configuration;
using SsdSharp.Explaining;
using SsdSharp.IO;
using SsdSharp.Modeling;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd summary</c>: the classic analysis of an SSD network.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = $"Preset ({string.Join(", ", SsdPresets.Names)}) or JSON file.", DefaultValueFactory = _ => "voc300" };
        var classes = NumericOption.Optional("--classes", "Number of object classes (without background), overriding the config's.", new NumberRange<int>(1));
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var diagram = new Option<string?>("--diagram") { Description = "Also draw the network (like the paper's figure 2) into this .svg or .png file." };
        var command = new Command("summary", "Show every layer with its output shape, the source feature maps, default boxes, parameters and multiply-accumulates.")
        {
            config, classes, format, diagram,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var configName = parse.GetValue(config)!;
            var c = ModelResolver.LoadConfig(configName);
            if (parse.GetValue(classes) is int n) c = c.WithClassCount(n);
            if (parse.GetValue(diagram) is { } file)
            {
                new OutputPlan().Reads(configName).File("--diagram", file);
                NetworkDiagramSketch.Draw(NetworkDiagram.Of(c)).Save(file);
                Terminal.Error.MarkupLineInterpolated($"[grey]drew {file}[/]");
            }
            using var network = new SsdNetwork(c);
            var summary = NetworkSummary.Of(network);
            if (parse.GetValue(format) == "json")
                Console.WriteLine(JsonSerializer.Serialize(summary, CliJson.Options));
            else
                Render(summary);
            return 0;
        }));
        return command;
    }

    private static void Render(NetworkSummary s)
    {
        var console = Terminal.Out;
        console.MarkupLine($"[bold]{Markup.Escape(s.Config)}[/]: input {Shape(s.InputShape)}, {s.Classes} classes (with background)");
        var layers = new Table().Border(TableBorder.Simple)
            .AddColumn("layer").AddColumn(new TableColumn("type").NoWrap()).AddColumn(new TableColumn("output").RightAligned())
            .AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("MACs").RightAligned());
        foreach (var l in s.Layers)
            layers.AddRow(l.Name, Markup.Escape(l.Kind), Shape(l.OutputShape), l.Parameters == 0 ? "" : l.Parameters.ToString("N0"),
                l.MultiplyAccumulates == 0 ? "" : $"{l.MultiplyAccumulates / 1e6:N1} M");
        console.Write(layers);

        var sources = new Table().Border(TableBorder.Simple).Title("sources")
            .AddColumn("#").AddColumn(new TableColumn("feature map").RightAligned())
            .AddColumn(new TableColumn("boxes/location").RightAligned()).AddColumn(new TableColumn("default boxes").RightAligned());
        for (int k = 0; k < s.Sources.Count; k++)
            sources.AddRow(k.ToString(), Shape(s.Sources[k].Shape), s.Sources[k].BoxesPerLocation.ToString(), s.Sources[k].Priors.ToString("N0"));
        console.Write(sources);
        console.WriteLine($"default boxes: {s.TotalPriors}");
        console.WriteLine($"parameters: {s.TotalParameters:N0} ({s.TotalParameters / 1e6:F1} M)");
        console.WriteLine($"multiply-accumulates: {s.TotalMultiplyAccumulates / 1e9:F2} G per image");
    }

    private static string Shape(long[] shape) => Markup.Escape($"[{string.Join(", ", shape)}]");
}
