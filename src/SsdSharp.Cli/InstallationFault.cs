using System.Reflection;

namespace SsdSharp.Cli;

/// <summary>
/// Recognises a part of ssd itself that failed to load — an assembly or a native library (libtorch, ONNX
/// Runtime, SkiaSharp) missing, damaged or built for another platform — and says so in one line. That is
/// a fault of the installation, not of the user's input (exit code 2) nor a bug (exit code 3). It uses
/// nothing but the base library, so that it still works when the failed part is one that ssd's
/// other code needs (System.CommandLine, Spectre.Console).
/// </summary>
internal static class InstallationFault
{
    /// <summary>Exit code for a part of the installation that could not be loaded.</summary>
    public const int ExitCode = 1;

    /// <summary>
    /// One line naming what failed to load, or null when <paramref name="exception"/> is no load failure.
    /// A <see cref="FileNotFoundException"/> is one only when the runtime's binder threw it: the binder names
    /// an assembly (<c>Name, Version=…</c>), while the file system names the full path of a missing file,
    /// which is the user's input.
    /// </summary>
    public static string? Describe(Exception exception)
    {
        var e = Unwrapped(exception);
        var detail = e switch
        {
            DllNotFoundException => $"the native library {NativeLibraryCause(e.Message)} could not be loaded",
            EntryPointNotFoundException => $"a native library does not match this build: {FirstLine(e.Message)}",
            FileNotFoundException f when f.FileName is { } name && !Path.IsPathFullyQualified(name) => $"the assembly {AssemblyTitle(name)} is missing",
            FileLoadException f => $"the assembly {AssemblyTitle(f.FileName)} could not be loaded: {FirstLine(e.Message)}",
            BadImageFormatException => $"a library is damaged or built for another platform: {FirstLine(e.Message)}",
            _ => null,
        };
        return detail is null ? null : $"{detail}; ssd's installation is incomplete or damaged (reinstall it)";
    }

    /// <summary>
    /// A load failure in a static constructor or through reflection arrives wrapped (the ONNX Runtime
    /// bindings' native methods fail in their type initializer).
    /// </summary>
    private static Exception Unwrapped(Exception e)
    {
        while (e is TypeInitializationException or TargetInvocationException && e.InnerException is { } inner) e = inner;
        return e;
    }

    /// <summary>
    /// The library's name and, where the loader's message has one, the file that was missing: .NET lists every
    /// place it looked for the library, one line each, and among them the dependency that failed
    /// (<c>libtorch_cpu.so: cannot open shared object file</c>), which is the line worth showing.
    /// </summary>
    private static string NativeLibraryCause(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var quoted = lines[0].Split('\'');
        if (quoted.Length < 3) return $"({FirstLine(message)})";
        var library = quoted[1];
        var dependency = lines.Skip(1).FirstOrDefault(l => !l.Contains(library, StringComparison.OrdinalIgnoreCase));
        return dependency is null ? $"'{library}'" : $"'{library}' ({dependency})";
    }

    private static string AssemblyTitle(string? fullName)
    {
        if (fullName is null) return "(unnamed)";
        try
        {
            var name = new AssemblyName(fullName);
            // Assemblies without a version of their own say 0.0.0.0, which tells nothing.
            return name.Version is null || name.Version == new Version(0, 0, 0, 0) ? $"'{name.Name}'" : $"'{name.Name}' {name.Version}";
        }
        catch (Exception e) when (e is ArgumentException or FileLoadException)
        {
            return $"'{fullName}'";
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
