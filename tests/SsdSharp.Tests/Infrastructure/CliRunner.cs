using System.Diagnostics;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>Runs the real <c>ssd</c> executable (built beside the tests) and captures its output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// The cache folder every run of this test process uses (<c>XDG_CACHE_HOME</c>): auto's choices and
    /// on-the-fly exports stay out of the user's cache, and later runs reuse what earlier ones stored.
    /// </summary>
    public static string CacheHome { get; } = Directory.CreateTempSubdirectory("ssdsharp-test-cache").FullName;

    public static Result Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ssd.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["XDG_CACHE_HOME"] = CacheHome;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ssd {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
