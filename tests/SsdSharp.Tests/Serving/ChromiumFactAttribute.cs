namespace SsdSharp.Tests.Serving;

/// <summary>
/// A test that drives a headless Chromium: Debian's <c>chromium</c> package (<c>/usr/bin/chromium</c>) or the
/// executable named by <c>SSD_CHROMIUM</c>. Playwright's own browser download needs the internet, so the test
/// uses a system browser and, where there is none, is skipped with a message saying how to get one
/// (<c>.ci/run</c> installs it where apt-get can).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>The browser to use, or null when none is installed.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("SSD_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        if (Executable is null)
            Skip = "no Chromium: run tools/setup-test-tools.sh (Debian's chromium) or set SSD_CHROMIUM to a Chromium executable";
        else if (!File.Exists(Executable))
            Skip = $"SSD_CHROMIUM={Executable}: no such file";
    }
}
