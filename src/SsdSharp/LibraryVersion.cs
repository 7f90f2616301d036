using System.Reflection;

namespace SsdSharp;

/// <summary>The version of this SsdSharp build, for reports and for keys of what it caches.</summary>
public static class LibraryVersion
{
    /// <summary>The full informational version, with the source revision when the build knows it (<c>1.0.0+3f2a…</c>).</summary>
    public static string Full { get; } =
        typeof(LibraryVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The release number alone (<c>1.0.0</c>).</summary>
    public static string Release => Full.Split('+')[0];
}
