namespace SsdSharp.Tests.Infrastructure;

/// <summary>
/// The optional tools of <c>tools/setup-test-tools.sh</c> (Chromium, Python's onnx). Where they may be missing, the
/// tests that drive them are skipped, saying how to get them; once <c>SSD_TEST_TOOLS=required</c> is set, as
/// <c>.ci/run</c> does after the script succeeded, those tests run and a missing tool fails them instead.
/// </summary>
internal static class TestTools
{
    /// <summary>Whether a missing tool fails its tests rather than skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("SSD_TEST_TOOLS") == "required";

    /// <summary>The skip message for a test whose tool is missing for <paramref name="reason"/> (null: the tool is there), or null when tools are required.</summary>
    public static string? Skip(string? reason) => reason is null || Required ? null : reason + " (SSD_TEST_TOOLS=required turns this skip into a failure)";
}
