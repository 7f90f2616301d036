using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// A test that drives a headless Chromium: Debian's <c>chromium</c> package (<c>/usr/bin/chromium</c>) or the
/// executable named by <c>SSD_CHROMIUM</c>. Playwright's own browser download needs the internet, so the test
/// uses a system browser and, where there is none, is skipped with a message saying how to get one
/// (<c>.ci/run</c> installs it where apt-get can, and then requires it: <see cref="TestTools"/>).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>The browser to use, or null when none is installed.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("SSD_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Why no browser can be driven, or null when one can.</summary>
    public static string? Missing => Executable switch
    {
        null => "no Chromium: run tools/setup-test-tools.sh (Debian's chromium) or set SSD_CHROMIUM to a Chromium executable",
        var path when !File.Exists(path) => $"SSD_CHROMIUM={path}: no such file",
        _ => null,
    };

    public ChromiumFactAttribute() => Skip = TestTools.Skip(Missing);
}
