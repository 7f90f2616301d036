using Spectre.Console;

namespace SsdSharp.Cli;

/// <summary>Consoles of the CLI: results go to stdout, progress and diagnostics to stderr so that output can be piped.</summary>
internal static class Terminal
{
    /// <summary>Tables and text for the user on stdout.</summary>
    public static IAnsiConsole Out { get; } = AnsiConsole.Console;

    /// <summary>Progress bars and notes on stderr.</summary>
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });
}
