namespace SsdSharp.IO;

/// <summary>
/// The user's cache folder for SsdSharp: <c>$XDG_CACHE_HOME/ssdsharp</c>, else <c>~/.cache/ssdsharp</c>
/// (the local application-data folder on Windows). Everything in it can be deleted at any time.
/// </summary>
public static class UserCache
{
    /// <summary>The folder (not created here).</summary>
    public static string Directory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "ssdsharp");
            var root = OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "ssdsharp");
        }
    }
}
