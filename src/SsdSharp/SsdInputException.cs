using System.Text.RegularExpressions;

namespace SsdSharp;

/// <summary>
/// Bad input from the user: a file, field or value that is missing or wrong. The message names
/// the input and what was expected, in one line, fit to show as it is; the CLI prints it without
/// a stack trace. Specific kinds derive from it.
/// </summary>
/// <remarks>
/// The message is kept to one line of at most <see cref="MaxMessageLength"/> characters whatever it
/// quotes: a parser's error can quote a runaway token (an unterminated JSON string runs to the end of
/// the file), and a file name may hold a line break.
/// </remarks>
public partial class SsdInputException(string message, Exception? inner = null) : Exception(OneLine(message), inner)
{
    /// <summary>Longest message kept; a longer one is cut and ends with an ellipsis.</summary>
    public const int MaxMessageLength = 1000;

    private static string OneLine(string message)
    {
        var line = LineBreaks().Replace(message, " ");
        return line.Length <= MaxMessageLength ? line : string.Concat(line.AsSpan(0, MaxMessageLength - 1), "…");
    }

    /// <summary>Any whitespace run that holds a line break (or another control character).</summary>
    [GeneratedRegex(@"\s*[\r\n\u0085\u2028\u2029\p{Cc}]\s*")]
    private static partial Regex LineBreaks();
}
