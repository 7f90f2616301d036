using SsdSharp.Boxes;
using SsdSharp.Data.Synthetic;

namespace SsdSharp.Tests.Video;

public class SyntheticVideoTests
{
    private static readonly SyntheticVideoOptions Options = new() { Width = 320, Height = 240, Frames = 41, Objects = 3, Seed = 5 };

    private static PixelBox Box(MovingObjectAnnotation o) => new(o.Annotation.X1, o.Annotation.Y1, o.Annotation.X2 + 1, o.Annotation.Y2 + 1);

    [Fact]
    public void TheSameSeedGivesTheSameFrames()
    {
        var (a, truthA) = new SyntheticVideo(Options).Render(7);
        var (b, truthB) = new SyntheticVideo(Options).Render(7);
        using (a)
        using (b)
        {
            Assert.Equal(a.GetPixelSpan().ToArray(), b.GetPixelSpan().ToArray());
        }
        Assert.Equal(truthA, truthB);
    }

    [Fact]
    public void TheFirstTwoObjectsCrossHeadOnAtTheCentreHalfwayWithTheSecondInFront()
    {
        var video = new SyntheticVideo(Options);
        var first = video.Render(0).Objects;
        var middle = video.Render(20).Objects;
        var last = video.Render(40).Objects;
        var one = first.Single(o => o.ObjectId == 1);
        var two = first.Single(o => o.ObjectId == 2);
        Assert.Equal(one.Annotation.ClassId, two.Annotation.ClassId);
        // Object 1 starts left and ends right of object 2.
        Assert.True(Box(one).X1 < Box(two).X1);
        Assert.True(Box(last.Single(o => o.ObjectId == 1)).X1 > Box(last.Single(o => o.ObjectId == 2)).X1);
        // Halfway object 2 is centred and in view, and object 1, a twin behind it, overlaps it mostly.
        var front = middle.Single(o => o.ObjectId == 2);
        Assert.False(front.Annotation.Difficult);
        Assert.Equal(160, (Box(front).X1 + Box(front).X2) / 2, 2.0);
        Assert.True(PixelBox.Iou(Box(middle.Single(o => o.ObjectId == 1)), Box(front)) > 0.5);
    }

    [Fact]
    public void ObjectsMoveSmoothlyAndStayInTheFrame()
    {
        var video = new SyntheticVideo(Options with { Frames = 10 });
        var before = video.Render(3).Objects.Single(o => o.ObjectId == 3);
        var after = video.Render(4).Objects.Single(o => o.ObjectId == 3);
        Assert.InRange(PixelBox.Iou(Box(before), Box(after)), 0.5, 1.0);
        Assert.True(after.Annotation.FitsImage(320, 240));
    }
}
