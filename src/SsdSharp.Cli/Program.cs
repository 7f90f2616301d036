using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;
using SsdSharp.Cli;
using SsdSharp.Cli.Commands;

try
{
    return Run(args);
}
catch (Exception e) when (InstallationFault.Describe(e) is { } fault)
{
    // An assembly that every command needs (System.CommandLine, Spectre.Console) fails when Run is compiled,
    // before CommandRunner can see it.
    CommandRunner.WriteError(fault);
    return InstallationFault.ExitCode;
}

// Not inlined: the assemblies Run uses load when it is compiled, which must happen inside the try above.
[MethodImpl(MethodImplOptions.NoInlining)]
static int Run(string[] args)
{
    var root = new RootCommand("SsdSharp: train, evaluate and run SSD object detectors.");
    foreach (var command in new Command[]
    {
        // One line per command; each lives in Commands/.
        VersionCommand.Create(),
        InfoCommand.Create(),
        SummaryCommand.Create(),
        ExplainCommand.Create(),
        DetectCommand.Create(),
        ConvertCommand.Create(),
        AverageCommand.Create(),
        ExportCommand.Create(),
        SynthCommand.Create(),
        DatasetCommand.Create(),
        EvalCommand.Create(),
        TrainCommand.Create(),
        ServeCommand.Create(),
    })
    {
        root.Subcommands.Add(command);
    }
    var parse = root.Parse(args);
    return parse.Action is ParseErrorAction ? CommandLineErrors.Report(parse) : parse.Invoke();
}
