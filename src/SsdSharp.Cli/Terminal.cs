using Spectre.Console;

namespace SsdSharp.Cli;

/// <summary>Consoles of the CLI: results go to stdout, progress and diagnostics to stderr so that output can be piped.</summary>
internal static class Terminal
{
    /// <summary>A width no diagnostic reaches: a redirected stderr has no width, and a wrapped line would cut a path in two.</summary>
    private const int UnwrappedWidth = 100_000;

    /// <summary>Tables and text for the user on stdout.</summary>
    public static IAnsiConsole Out { get; } = AnsiConsole.Console;

    /// <summary>Progress bars and notes on stderr; when redirected, one line per message.</summary>
    public static IAnsiConsole Error { get; } = CreateError();

    private static IAnsiConsole CreateError()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
        });
        if (Console.IsErrorRedirected) console.Profile.Width = UnwrappedWidth;
        return console;
    }
}
