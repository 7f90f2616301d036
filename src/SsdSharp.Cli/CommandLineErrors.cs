using System.CommandLine;
using System.CommandLine.Parsing;

namespace SsdSharp.Cli;

/// <summary>
/// Reports a command line that does not parse (an unknown option, a missing or malformed value) in one
/// line with a pointer to the command's help, and exit code 2, instead of the whole help text; and refuses, in one
/// line, options given to a run they do not apply to.
/// </summary>
internal static class CommandLineErrors
{
    /// <summary>Writes the first error of <paramref name="parse"/>; returns the exit code.</summary>
    public static int Report(ParseResult parse)
    {
        var command = string.Join(' ', Commands(parse.CommandResult).Reverse().Select(c => c.Name));
        // System.CommandLine lists allowed values one per line; the report stays one line.
        var message = parse.UnmatchedTokens.Count > 0
            ? Unmatched(parse.UnmatchedTokens[0], parse.CommandResult)
            : Named(parse.Errors[0]);
        CommandRunner.WriteError($"{message}; see '{command} --help'");
        return CommandRunner.InputError;
    }

    /// <summary>Validates a positional argument of paths: a value that looks like an option and names no file was meant as one.</summary>
    public static void RefuseOptionLikePaths(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.StartsWith('-') && !Path.Exists(token.Value))
                result.AddError($"unknown option '{token.Value}' (a file whose name starts with '-' can be given as ./{token.Value})");
        }
    }

    /// <summary>Refuses the first of <paramref name="options"/> given on the command line (a default does not count).</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="options">Options that do not apply to this run.</param>
    /// <param name="message">The one-line error, from the option's name.</param>
    /// <exception cref="SsdInputException">One of the options is given.</exception>
    public static void RefuseGiven(ParseResult parse, IEnumerable<Option> options, Func<string, string> message)
    {
        if (options.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
            throw new SsdInputException(message(given.Name));
    }

    /// <summary>
    /// The error in one line, led by the option it is about when the message does not name it: System.CommandLine
    /// says "Argument 'x' not recognized. Must be one of: …" without saying of which option.
    /// </summary>
    private static string Named(ParseError error)
    {
        var message = string.Join(' ', error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
        for (var result = error.SymbolResult; result != null; result = result.Parent)
        {
            if (result is OptionResult option)
                return message.Contains(option.Option.Name, StringComparison.Ordinal) ? message : $"{option.Option.Name}: {message}";
        }
        return message;
    }

    private static string Unmatched(string token, CommandResult command) =>
        token.StartsWith('-') ? $"unknown option '{token}'"
        : command.Command.Subcommands.Count > 0 ? $"unknown command '{token}'"
        : $"unexpected argument '{token}'";

    private static IEnumerable<Command> Commands(CommandResult? result)
    {
        for (; result != null; result = result.Parent as CommandResult) yield return result.Command;
    }
}
