using System.Globalization;
using Xunit.Abstractions;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// Fuzzes every parser (docs/reliability.md, "Fuzzing"). By default each target runs a fixed, deterministic
/// set of cases in a few seconds. Environment variables turn the same test into a long run:
/// <c>SSD_FUZZ_SECONDS</c> (time per target), <c>SSD_FUZZ_CASES</c> (cases per target), <c>SSD_FUZZ_FIRST</c>
/// (first case number, to explore further or replay one case) and <c>SSD_FUZZ_FINDINGS</c> (where failing
/// inputs and the summary <c>fuzz-results.tsv</c> go).
/// </summary>
public class ParserFuzzTests(ITestOutputHelper output)
{
    /// <summary>Cases per target in the normal suite: a few seconds each on a loaded 2-core machine.</summary>
    private const long DefaultCases = 1000;

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void EverySeedIsAccepted(string target)
    {
        var fuzz = FuzzTargets.Get(target);
        var work = Directory.CreateTempSubdirectory("ssd-fuzz-seeds-").FullName;
        try
        {
            var parse = fuzz.Open(work);
            foreach (var (seed, i) in fuzz.Seeds().Select((s, i) => (s, i)))
            {
                // A seed the parser refuses would leave the fuzzer mutating garbage.
                var e = Record.Exception(() => parse(seed));
                Assert.True(e is null, $"{target} seed {i} is refused: {e}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void MutatedInputsAreReadOrRefusedWithAnInputError(string target)
    {
        var seconds = Setting("SSD_FUZZ_SECONDS");
        long cases = Setting("SSD_FUZZ_CASES") ?? (seconds is null ? DefaultCases : long.MaxValue);
        var duration = seconds is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.MaxValue;
        var findings = Environment.GetEnvironmentVariable("SSD_FUZZ_FINDINGS") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "ssd-fuzz-findings");

        var report = FuzzRunner.Run(FuzzTargets.Get(target), Setting("SSD_FUZZ_FIRST") ?? 0, cases, duration, findings);

        output.WriteLine(report.Summary);
        if (seconds is not null || Setting("SSD_FUZZ_CASES") is not null)
        {
            Directory.CreateDirectory(findings);
            File.AppendAllText(Path.Combine(findings, "fuzz-results.tsv"), string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:O}\t{target}\t{report.FirstCase}\t{report.Cases}\t{report.Elapsed.TotalSeconds:0.0}\t{report.Failures.Count}\t{string.Join(" | ", report.Failures.Select(x => x.Signature).Distinct())}\n"));
        }
        Assert.True(report.Failures.Count == 0, report.Summary);
    }

    private static long? Setting(string name) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
