using System.Diagnostics;
using SsdSharp.Bulk;

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

    /// <summary>Variables by which a batch scheduler shards <c>ssd detect</c>: removed, so that tests run alike inside such a job.</summary>
    private static readonly string[] SchedulerVariables =
    [
        SchedulerShard.KubernetesIndex, SchedulerShard.KubernetesCount,
        SchedulerShard.SlurmId, SchedulerShard.SlurmCount, SchedulerShard.SlurmMin, SchedulerShard.SlurmStep,
    ];

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, string> NoVariables = [];

    public static Result Run(params string[] args) => Run(DefaultTimeout, unprivileged: false, AppContext.BaseDirectory, NoVariables, args);

    /// <summary>Runs with <paramref name="environment"/> added to the environment.</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(DefaultTimeout, unprivileged: false, AppContext.BaseDirectory, environment, args);

    /// <summary>
    /// Runs <c>ssd</c> as a user without privileges, for permission tests: root reads and writes whatever the
    /// mode bits say, so under root (as in this project's containers) the command runs as <c>nobody</c> through
    /// <c>setpriv</c>; under any other user it runs as that user.
    /// </summary>
    public static Result RunUnprivileged(params string[] args) => Run(DefaultTimeout, unprivileged: true, AppContext.BaseDirectory, NoVariables, args);

    /// <summary>Runs with a shorter limit, for commands that must not wait on their input.</summary>
    public static Result RunWithin(TimeSpan timeout, params string[] args) => Run(timeout, unprivileged: false, AppContext.BaseDirectory, NoVariables, args);

    /// <summary>Runs the <c>ssd.dll</c> of another folder (an installation with a part taken out).</summary>
    public static Result RunInstalledAt(string folder, params string[] args) => Run(DefaultTimeout, unprivileged: false, folder, NoVariables, args);

    /// <summary>The user id <see cref="RunUnprivileged"/> runs as under root.</summary>
    public const int UnprivilegedId = 65534;

    /// <summary>Starts <c>ssd</c> with its output redirected, for a test that stops it (or reads it) itself.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(unprivileged: false, AppContext.BaseDirectory, environment, args);

    private static Result Run(TimeSpan timeout, bool unprivileged, string folder, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        using var process = Start(unprivileged, folder, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ssd {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process Start(bool unprivileged, string folder, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        bool dropRoot = unprivileged && Environment.IsPrivilegedProcess;
        var info = new ProcessStartInfo(dropRoot ? "setpriv" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dropRoot)
        {
            foreach (var a in new[] { $"--reuid={UnprivilegedId}", $"--regid={UnprivilegedId}", "--clear-groups", "dotnet" }) info.ArgumentList.Add(a);
            // nobody's home does not exist; the runtime wants a writable one.
            info.Environment["HOME"] = Path.GetTempPath();
            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        info.ArgumentList.Add(Path.Combine(folder, "ssd.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["XDG_CACHE_HOME"] = CacheHome;
        foreach (var name in SchedulerVariables) info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return Process.Start(info)!;
    }
}
