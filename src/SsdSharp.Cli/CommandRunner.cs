using SsdSharp;
using Spectre.Console;

namespace SsdSharp.Cli;

/// <summary>
/// Runs a command body and turns bad input into one clear line on stderr with a non-zero exit
/// code, never a stack trace; so is a part of ssd that failed to load (<see cref="InstallationFault"/>).
/// Unexpected exceptions still print their type and message.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for bad input (missing file, invalid config, undecodable image…).</summary>
    public const int InputError = 2;

    /// <summary>Exit code for an unexpected failure.</summary>
    public const int InternalError = 3;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (InstallationFault.Describe(e) is { } fault)
        {
            // Before the input errors: a missing assembly is a FileNotFoundException too.
            WriteError(fault);
            return InstallationFault.ExitCode;
        }
        catch (Exception e) when (e is SsdInputException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException)
        {
            WriteError(e.Message);
            return InputError;
        }
        catch (Exception e) when (DiskFull(e) is { } full)
        {
            // The machine's, not ssd's: outputs are written to temporary files that are deleted when a write fails.
            WriteError($"no space left on the device ({full.Message}); free some space, or write the output elsewhere");
            return InputError;
        }
        catch (OperationCanceledException)
        {
            WriteError("cancelled");
            return 130;
        }
        catch (Exception e)
        {
            WriteError($"unexpected {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("SSD_DEBUG") == "1") Console.Error.WriteLine(e);
            return InternalError;
        }
    }

    /// <summary>
    /// The write that found the disk full or the quota exhausted (ENOSPC or EDQUOT, whose errno is the HResult on Linux and
    /// macOS, or Windows' disk-full errors): <paramref name="e"/> itself, or the first of parallel writers that all failed so.
    /// </summary>
    private static IOException? DiskFull(Exception e) => e switch
    {
        IOException io when io.HResult is 28 || (OperatingSystem.IsLinux() && io.HResult == 122) || (OperatingSystem.IsMacOS() && io.HResult == 69)
            || io.HResult is unchecked((int)0x80070070) or unchecked((int)0x80070027) => io,
        AggregateException all when all.Flatten().InnerExceptions.Select(DiskFull).ToList() is [{ } first, ..] found && found.All(f => f != null) => first,
        _ => null,
    };

    public static void WriteError(string message) =>
        Console.Error.WriteLine($"ssd: error: {message}");

    /// <summary>One line on stderr about something that works but not as the user may expect.</summary>
    public static void WriteWarning(string message) =>
        Console.Error.WriteLine($"ssd: warning: {message}");
}
