using SsdSharp.IO;

namespace SsdSharp.Tests.IO;

/// <summary>Names made from class names: safe, short enough, and one per class even where two classes' names meet.</summary>
public class DistinctFileNamesTests
{
    [Fact]
    public void NamesThatMeetAreNumberedAndTheSameTextKeepsItsName()
    {
        var names = new DistinctFileNames("detect-", ".png");
        Assert.Equal("detect-a_b.png", names.For("a b"));
        Assert.Equal("detect-a_b_2.png", names.For("a_b"));
        Assert.Equal("detect-A_B_3.png", names.For("A/B"));
        Assert.Equal("detect-a_b.png", names.For("a b"));
        Assert.Equal("detect-ünï_日本.png", names.For("ünï 日本"));
    }

    [Fact]
    public void ALongNameIsCutWithinAFileNamesBytes()
    {
        var name = new DistinctFileNames("pr_", ".png").For(new string('語', 300));
        Assert.Equal("pr_" + new string('語', DistinctFileNames.MaxTextChars) + ".png", name);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) + ".PID.GUID.tmp".Length < AtomicFile.MaxFileNameBytes);
    }
}
