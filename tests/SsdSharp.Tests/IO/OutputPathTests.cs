using SsdSharp.IO;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.IO;

/// <summary>The building blocks of "never destroy a user's file": canonical paths, confinement, derived names, output folders, atomic writes.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CanonicalPathResolvesLinksOnTheWayAndKeepsWhatDoesNotExist()
    {
        var real = _temp.Folder("real");
        File.CreateSymbolicLink(_temp.Path("alias"), "real");
        Assert.Equal(Path.Combine(real, "x", "y.png"), CanonicalPath.Of(_temp.Path("alias", "x", "..", "x", "y.png")));
        File.CreateSymbolicLink(_temp.Path("one"), "two");
        File.CreateSymbolicLink(_temp.Path("two"), "one");
        var loop = Assert.Throws<SsdInputException>(() => CanonicalPath.Of(_temp.Path("one", "x")));
        Assert.Contains("too many levels of symbolic links", loop.Message);
    }

    [Theory]
    [InlineData("000001.xml", true)]
    [InlineData("sub/000001.xml", true)]
    [InlineData("a/../b.xml", true)]
    [InlineData("../000001.xml", false)]
    [InlineData("../../victim.xml", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a/../../x", false)]
    public void ConfinedPathKeepsDataInsideItsRoot(string relative, bool inside)
    {
        Assert.Equal(inside, ConfinedPath.IsInside(_temp.Path("root"), relative));
        if (!inside)
        {
            var e = Assert.Throws<SsdInputException>(() => ConfinedPath.Check(_temp.Path("root"), relative, "split.txt, line 3"));
            Assert.StartsWith($"split.txt, line 3: '{relative}' leads outside", e.Message);
        }
    }

    [Fact]
    public void ConfinedPathRefusesANulInsteadOfThrowingTheRuntimesArgumentException()
    {
        Assert.False(ConfinedPath.IsInside(_temp.Path("root"), "a\0b"));
        var e = Assert.Throws<SsdInputException>(() => ConfinedPath.Check(_temp.Path("root"), "a\0b.xml", "split.txt, line 1"));
        Assert.StartsWith("split.txt, line 1: ", e.Message);
        Assert.Contains("is not a path (it holds a NUL character)", e.Message);
    }

    [Fact]
    public void DerivedNamesKeepTheRelativePathAndNeverCollide()
    {
        Assert.Equal(["a/x.jpg.png", "b/x.png", "a/x.png.png", "a/Y.png.png", "a/y.png~2.png"],
            DerivedFileNames.For(["/in/a/x.jpg", "/in/b/x.jpg", "/in/a/x.png", "/in/a/Y.png", "/in/a/y.png"], ".png"));
        Assert.Equal(["photo.png"], DerivedFileNames.For(["/in/a/photo.jpg"], ".png"));
        Assert.Equal(["in/p.png", "tmp/q.png"], DerivedFileNames.For(["/in/p.jpg", "/tmp/q.jpg"], ".png"));
    }

    [Fact]
    public void OutputFolderTakesNewEmptyOrItsOwnFoldersOnly()
    {
        var fresh = OutputFolder.Prepare("--out", _temp.Path("new", "deep"), force: false);
        Assert.True(File.Exists(Path.Combine(fresh.Path, OutputFolder.MarkerName)));
        OutputFolder.Prepare("--out", fresh.Path, force: false);

        var empty = _temp.Folder("empty");
        OutputFolder.Prepare("--out", empty, force: false);
        Assert.True(File.Exists(Path.Combine(empty, OutputFolder.MarkerName)));

        var users = _temp.Folder("users");
        _temp.Write("mine", "users", "notes.txt");
        var e = Assert.Throws<SsdInputException>(() => OutputFolder.Prepare("--out", users, force: false));
        Assert.Contains("--force", e.Message);
        OutputFolder.Prepare("--out", users, force: true);
        Assert.False(File.Exists(Path.Combine(users, OutputFolder.MarkerName)));

        Assert.Throws<SsdInputException>(() => OutputFolder.Prepare("--out", _temp.Path("users", "notes.txt"), force: true));
        Assert.Throws<SsdInputException>(() => fresh.Combine("../escape.png"));
    }

    [Fact]
    public void OutputPlanRefusesAnInputTwiceClaimedOrUnwritablePaths()
    {
        var input = _temp.Write("data", "in.json");
        File.CreateSymbolicLink(_temp.Path("link.json"), input);
        var plan = new OutputPlan().Reads(input, null, "voc300");
        Assert.Contains("is an input of this command", Assert.Throws<SsdInputException>(() => plan.File("--output", _temp.Path("link.json"))).Message);
        plan.File("--output", _temp.Path("out", "report.json"));
        Assert.Contains("is also the output of --output", Assert.Throws<SsdInputException>(() => plan.File("--save", _temp.Path("out", "report.json"))).Message);
        Assert.Contains("empty path", Assert.Throws<SsdInputException>(() => plan.File("--output", " ")).Message);
        Assert.Contains("is a file, not a folder", Assert.Throws<SsdInputException>(() => plan.File("--output", Path.Combine(input, "x"))).Message);
    }

    [Fact]
    public void AFileOutputInFoldersStillToBeMadeIsCheckedWithoutMakingThem()
    {
        // The plan is checked before the work, and a command may still be refused after it (a bad split, a
        // misspelt layer name): nothing of the output may exist by then.
        var path = _temp.Path("new", "deeper", "model.onnx");
        Assert.Equal(path, new OutputPlan().File("--output", path));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Root));
        AtomicFile.WriteAllText(path, "written");
        Assert.Equal("written", File.ReadAllText(path));
    }

    [Fact]
    public void AnOutputThroughALinkReplacesTheFileItLeadsToAndKeepsTheLink()
    {
        var target = _temp.Write("old", "real.json");
        var link = _temp.Path("link.json");
        File.CreateSymbolicLink(link, target);
        AtomicFile.WriteAllText(link, "new");
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public async Task AFifoOrEmptyFileIsWrittenIntoNotReplaced()
    {
        // As root, renaming a file over /dev/null replaced the device; a FIFO stands in for it here.
        var fifo = _temp.Path("fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        var reader = Task.Run(() => File.ReadAllText(fifo));
        AtomicFile.WriteAllText(fifo, "through the pipe");
        Assert.Equal("through the pipe", await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, new FileInfo(fifo).Length);
        var empty = _temp.Write("", "empty.json");
        AtomicFile.WriteAllText(empty, "filled");
        Assert.Equal("filled", File.ReadAllText(empty));
    }

    [Fact]
    public void AtomicWriteThatFailsLeavesTheOldFileAndNoTemporary()
    {
        var path = _temp.Write("old", "report.json");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("killed midway");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["report.json"], Directory.GetFiles(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void OrphansOfDeadWritersAreRemovedOthersKept()
    {
        var dead = _temp.Write("torn", $".model.safetensors.999999999.{Guid.NewGuid():N}.tmp");
        var alive = _temp.Write("writing", $".model.safetensors.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var users = _temp.Write("mine", ".notes.tmp");
        Assert.Equal([dead], AtomicFile.RemoveOrphans(_temp.Root));
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(users));
    }
}
