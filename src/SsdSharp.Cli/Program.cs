using System.CommandLine;
using SsdSharp.Cli.Commands;

var root = new RootCommand("SsdSharp: train, evaluate and run SSD object detectors.");
foreach (var command in new Command[]
{
    // One line per command; each lives in Commands/.
    VersionCommand.Create(),
    InfoCommand.Create(),
    SummaryCommand.Create(),
    DetectCommand.Create(),
    ConvertCommand.Create(),
    ExportCommand.Create(),
    SynthCommand.Create(),
    DatasetCommand.Create(),
    EvalCommand.Create(),
    TrainCommand.Create(),
})
{
    root.Subcommands.Add(command);
}
return root.Parse(args).Invoke();
