namespace SsdSharp;

/// <summary>
/// Bad input from the user: a file, field or value that is missing or wrong. The message names
/// the input and what was expected, in one line, fit to show as it is; the CLI prints it without
/// a stack trace. Specific kinds derive from it.
/// </summary>
public class SsdInputException(string message, Exception? inner = null) : Exception(message, inner);
