using System.Diagnostics;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>Runs a program to completion (bounded in time) and captures what it printed.</summary>
internal static class ProcessRunner
{
    /// <summary>The exit code and stdout followed by stderr; -1 and "timed out" when <paramref name="limit"/> passes first.</summary>
    /// <param name="environment">Extra environment variables.</param>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} {string.Join(' ', arguments)}: timed out after {limit}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
