using System.Text;
using SsdSharp.Boxes;
using SsdSharp.Bulk;
using SsdSharp.Evaluation;
using SsdSharp.Inference;

namespace SsdSharp.Tests.Bulk;

public class JsonLinesOutputTests
{
    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("ssd-jsonl").FullName, "out.jsonl");

    private static ImageDetections Result(string name) =>
        new(name, 40, 30, [new Detection(2, "square", 0.5f, new PixelBox(1, 2, 3, 4))]);

    [Fact]
    public void LinesAreTheObjectsOfTheJsonArrayOneALine()
    {
        using (var output = JsonLinesOutput.Create(_file))
        {
            output.Write(Result("a/1.jpg"));
            output.WriteError("b.jpg", "truncated image data");
        }
        Assert.Equal(
            "{\"image\":\"a/1.jpg\",\"width\":40,\"height\":30,\"detections\":[{\"label\":\"square\",\"class_id\":2,\"score\":0.5,\"box\":[1,2,3,4]}]}\n" +
            "{\"image\":\"b.jpg\",\"error\":\"truncated image data\"}\n",
            File.ReadAllText(_file));
    }

    [Fact]
    public void EachLineIsInTheFileAsSoonAsItIsWritten()
    {
        using var output = JsonLinesOutput.Create(_file);
        output.Write(Result("1.jpg"));
        // The file's size, from the file system, while the output holds it.
        Assert.Equal(DetectionFileWriter.ToJsonObject(Result("1.jpg")).ToJsonString().Length + 1, new FileInfo(_file).Length);
    }

    [Fact]
    public void AnExistingFileIsNeverStartedAgain()
    {
        File.WriteAllText(_file, "keep me\n");
        var e = Assert.Throws<SsdInputException>(() => JsonLinesOutput.Create(_file));
        Assert.Contains("exists already", e.Message);
        Assert.Equal("keep me\n", File.ReadAllText(_file));
    }

    [Fact]
    public void ResumingKnowsTheImagesWithALineAndDropsAnIncompleteLastLine()
    {
        using (var output = JsonLinesOutput.Create(_file))
        {
            output.Write(Result("1.jpg"));
            output.WriteError("2.jpg", "not a recognised image");
            output.Write(Result("3.jpg"));
        }
        var whole = File.ReadAllBytes(_file);
        int cut = whole.Length - 20;   // inside the line of 3.jpg, as a kill while writing it leaves the file
        File.WriteAllBytes(_file, whole[..cut]);

        using (var resumed = JsonLinesOutput.Resume(_file))
        {
            Assert.Equal(["1.jpg", "2.jpg"], resumed.Done.Order());
            Assert.Equal(["2.jpg"], resumed.Failed);
            Assert.Equal(cut - Array.LastIndexOf(whole, (byte)'\n', cut - 1) - 1, resumed.DroppedBytes);
            resumed.Write(Result("3.jpg"));
        }
        Assert.Equal(whole, File.ReadAllBytes(_file));
    }

    [Fact]
    public void ResumingAMissingFileStartsIt()
    {
        using (var output = JsonLinesOutput.Resume(_file))
        {
            Assert.Empty(output.Done);
            output.Write(Result("1.jpg"));
        }
        Assert.Single(File.ReadAllLines(_file));
    }

    [Fact]
    public void ResumingAFileOfLongLinesReadsThemAcrossItsReadBuffer()
    {
        // Lines of about 300 kB: several cross the 1 MB blocks the file is read in.
        var detections = Enumerable.Range(0, 4000).Select(i => new Detection(1, "circle", 0.25f, new PixelBox(i, i, i + 1, i + 1))).ToList();
        using (var output = JsonLinesOutput.Create(_file))
        {
            for (int i = 0; i < 12; i++) output.Write(new ImageDetections($"{i}.jpg", 9000, 9000, detections));
        }
        using var resumed = JsonLinesOutput.Resume(_file);
        Assert.Equal(12, resumed.Done.Count);
        Assert.Equal(0, resumed.DroppedBytes);
    }

    [Fact]
    public void AWholeLineOfAnotherKindIsRefusedNamingItsNumber()
    {
        File.WriteAllText(_file, "{\"image\":\"1.jpg\",\"error\":\"x\"}\n[1, 2]\n", Encoding.UTF8);
        var e = Assert.Throws<SsdInputException>(() => JsonLinesOutput.Resume(_file));
        Assert.StartsWith($"{_file} line 2: not a line of detections", e.Message);
    }

    [Fact]
    public void TwoRunsCannotWriteOneFile()
    {
        using var first = JsonLinesOutput.Resume(_file);
        var e = Assert.Throws<SsdInputException>(() => JsonLinesOutput.Resume(_file));
        Assert.Contains("is another run writing it?", e.Message);
    }
}
