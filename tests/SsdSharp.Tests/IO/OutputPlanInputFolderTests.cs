using SsdSharp.Data;
using SsdSharp.IO;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.IO;

/// <summary>
/// <see cref="OutputPlan"/>'s folders of inputs (a VOC root's layout) and its inputs learnt after the outputs were claimed
/// (the images a dataset's annotations name): either way round, an output among the inputs is refused.
/// </summary>
public sealed class OutputPlanInputFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void NothingIsWrittenInAFolderOfInputsAlsoThroughALinkButBesideItIs()
    {
        var annotations = _temp.Folder("voc", "Annotations");
        File.CreateSymbolicLink(_temp.Path("alias"), annotations);
        var plan = new OutputPlan().ReadsAllIn([annotations]);
        var inside = Assert.Throws<SsdInputException>(() => plan.File("--output", _temp.Path("alias", "new.xml")));
        Assert.Equal($"--output {_temp.Path("alias", "new.xml")}: lies in {annotations}, a folder of this command's inputs; an output is never written among them", inside.Message);
        Assert.Throws<SsdInputException>(() => plan.Folder("--plots", annotations, force: true));
        // A folder beside it whose name starts alike is not inside it.
        Assert.Equal(_temp.Path("voc", "Annotations2.json"), plan.File("--output", _temp.Path("voc", "Annotations2.json")));
        Assert.Equal(_temp.Path("voc", "report.json"), plan.File("--save-detections", _temp.Path("voc", "report.json")));
        Assert.Empty(Directory.GetFileSystemEntries(annotations));
    }

    [Fact]
    public void AnInputLearntAfterTheOutputsIsCheckedAgainstThem()
    {
        var image = _temp.Write("pixels", "coco", "1.jpg");
        var plan = new OutputPlan();
        plan.File("--output", image);
        var late = Assert.Throws<SsdInputException>(() => plan.Reads(image));
        Assert.Equal($"--output {image}: is an input of this command ({image}); an output never replaces an input", late.Message);

        var claimed = new OutputPlan();
        claimed.File("--output", _temp.Path("coco", "report.json"));
        Assert.Throws<SsdInputException>(() => claimed.ReadsAllIn([_temp.Path("coco")]));
    }

    [Fact]
    public void AVocSpecNamesTheLayoutFoldersOfEachRootAndACocoSpecNone()
    {
        Assert.Equal(
            [Path.Combine("a", "Annotations"), Path.Combine("a", "ImageSets"), Path.Combine("a", "JPEGImages"),
             Path.Combine("b", "Annotations"), Path.Combine("b", "ImageSets"), Path.Combine("b", "JPEGImages")],
            DatasetSpec.Parse("VOC:a,b").InputFolders);
        Assert.Empty(DatasetSpec.Parse("COCO:c/instances.json").InputFolders);
    }
}
