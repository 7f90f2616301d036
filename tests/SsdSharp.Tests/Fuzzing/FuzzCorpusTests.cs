using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// Replays every input that once broke a parser (TestData/fuzz-corpus/{target}/, one file per finding,
/// named after the bug): each must now be read or refused with a one-line input error, in time and memory.
/// </summary>
public class FuzzCorpusTests
{
    private static string Corpus => Fixtures.TestData("fuzz-corpus");

    public static TheoryData<string, string> Findings()
    {
        var findings = new TheoryData<string, string>();
        foreach (var folder in Directory.GetDirectories(Corpus).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal)) findings.Add(Path.GetFileName(folder), Path.GetFileName(file));
        }
        return findings;
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void FoundInputIsReadOrRefused(string target, string finding)
    {
        var work = Directory.CreateTempSubdirectory("ssd-fuzz-corpus-").FullName;
        try
        {
            var parse = FuzzTargets.Get(target).Open(work);
            var problem = FuzzRunner.Check(parse, File.ReadAllBytes(Path.Combine(Corpus, target, finding)));
            Assert.True(problem is null, $"{target}/{finding}: {problem}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void EveryCorpusFolderIsATarget()
    {
        var targets = FuzzTargets.All.Select(t => t.Name).ToHashSet();
        Assert.All(Directory.GetDirectories(Corpus), folder => Assert.Contains(Path.GetFileName(folder), targets));
    }
}
