using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Onnx;

/// <summary>
/// A test that needs the ONNX project's own checker (Python's <c>onnx</c> package): skipped, saying how
/// to enable it, when no <c>python3</c> on this machine imports <c>onnx</c>, unless <see cref="TestTools"/> are required.
/// </summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Interpreter = new(Find);

    public OnnxCheckerFactAttribute() => Skip = TestTools.Skip(Missing);

    /// <summary>Why the checker cannot run, or null when it can.</summary>
    public static string? Missing => Interpreter.Value is null
        ? "no python3 with the onnx package: tools/setup-test-tools.sh (Debian's python3-onnx, ONNX 1.12) enables this checker test"
        : null;

    /// <summary>A python3 that imports onnx, or null.</summary>
    public static string? Python => Interpreter.Value;

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; exit code and both outputs.</summary>
    public static (int ExitCode, string Output) Run(string python, string script, params string[] arguments) =>
        ProcessRunner.Run(python, ["-c", script, .. arguments], TimeSpan.FromMinutes(2));

    // The first python3 on PATH may be another installation (pyenv) than the one Debian's package serves.
    private static string? Find() => new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(python =>
    {
        try
        {
            return Run(python, "import onnx").ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });
}
