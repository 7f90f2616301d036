using System.Drawing;
using SsdSharp.Imaging;

namespace SsdSharp.Tests.Imaging;

public class CaptionLayoutTests
{
    private static readonly Size Caption = new(60, 14);

    private static Rectangle[] Place(Size image, params RectangleF[] boxes) =>
        CaptionLayout.Place(image, boxes, boxes.Select(_ => Caption).ToArray());

    private static void AssertInside(Size image, IEnumerable<Rectangle> captions) =>
        Assert.All(captions, c => Assert.True(new Rectangle(Point.Empty, image).Contains(c), $"{c} leaves the {image.Width}×{image.Height} image"));

    private static void AssertDisjoint(IReadOnlyList<Rectangle> captions)
    {
        for (int i = 0; i < captions.Count; i++)
        for (int j = 0; j < i; j++)
        {
            Assert.False(captions[i].IntersectsWith(captions[j]), $"caption {i} {captions[i]} overlaps caption {j} {captions[j]}");
        }
    }

    private static bool Touches(Rectangle caption, RectangleF box) => CaptionLayout.Leader(caption, box) is null;

    /// <summary><paramref name="count"/> boxes of 4–40 % of each side, at seeded random places, with captions of label-like sizes.</summary>
    private static (RectangleF[] Boxes, Size[] Captions) Scene(Size image, int count, int seed, int fontHeight)
    {
        var random = new Random(seed);
        var boxes = new RectangleF[count];
        var captions = new Size[count];
        for (int i = 0; i < count; i++)
        {
            float w = image.Width * (0.04f + 0.36f * random.NextSingle()), h = image.Height * (0.04f + 0.36f * random.NextSingle());
            boxes[i] = new RectangleF(random.NextSingle() * (image.Width - w), random.NextSingle() * (image.Height - h), w, h);
            captions[i] = new Size(fontHeight * random.Next(4, 9), fontHeight);
        }
        return (boxes, captions);
    }

    [Fact]
    public void FreeCaptionSitsAboveItsBoxAtTheLeftEnd()
    {
        var caption = Place(new Size(300, 200), new RectangleF(50.4f, 80.6f, 100, 60)).Single();
        Assert.Equal(new Rectangle(50, 81 - Caption.Height, Caption.Width, Caption.Height), caption);
    }

    [Fact]
    public void BoxAtTheTopGetsItsCaptionInsideAndAFlatOneBelow()
    {
        var captions = Place(new Size(300, 200), new RectangleF(10, 0, 100, 60), new RectangleF(150, 5, 100, 8));
        Assert.Equal(new Rectangle(10, 0, Caption.Width, Caption.Height), captions[0]);
        Assert.Equal(new Rectangle(150, 13, Caption.Width, Caption.Height), captions[1]);
    }

    [Fact]
    public void CaptionAtTheRightBorderMovesLeftIntoTheImage()
    {
        var caption = Place(new Size(300, 200), new RectangleF(280, 100, 20, 50)).Single();
        Assert.Equal(new Rectangle(300 - Caption.Width, 100 - Caption.Height, Caption.Width, Caption.Height), caption);
    }

    [Fact]
    public void SecondCaptionOnTheSameBoxGoesInsideThenBelow()
    {
        var box = new RectangleF(100, 100, 80, 60);
        var captions = Place(new Size(300, 300), box, box, box);
        Assert.Equal([86, 100, 160], captions.Select(c => c.Y));
        Assert.All(captions, c => Assert.Equal(100, c.X));
    }

    [Fact]
    public void TakenPlacesMakeTheCaptionSlideAlongItsEdge()
    {
        // A wide box whose three natural places are taken by the captions of a box at the same left edge.
        var wide = new RectangleF(20, 100, 200, 60);
        var captions = Place(new Size(300, 300), wide, wide, wide, wide);
        Assert.Equal(new Rectangle(20 + Caption.Width, 86, Caption.Width, Caption.Height), captions[3]);
        Assert.All(captions, c => Assert.True(Touches(c, wide)));
        AssertDisjoint(captions);
    }

    [Fact]
    public void WithoutRoomAlongItsEdgeACaptionShiftsAwayAndGetsALeader()
    {
        // A box as narrow as its caption, in the middle: after above, inside and below, the fourth moves away.
        var box = new RectangleF(120, 120, Caption.Width, 60);
        var captions = Place(new Size(300, 300), box, box, box, box);
        AssertDisjoint(captions);
        Assert.False(Touches(captions[3], box));
        Assert.Equal(Caption.Height, Math.Min(Math.Abs(captions[3].Y - 106), Math.Abs(captions[3].Y - 180)));
    }

    [Theory]
    [InlineData(640, 480, 1)]
    [InlineData(640, 480, 2)]
    [InlineData(500, 375, 3)]
    [InlineData(1000, 1000, 4)]
    public void FiftyBoxesGetDisjointCaptionsInsideTheImage(int width, int height, int seed)
    {
        var image = new Size(width, height);
        var (boxes, sizes) = Scene(image, 50, seed, 15);
        var captions = CaptionLayout.Place(image, boxes, sizes);
        AssertInside(image, captions);
        AssertDisjoint(captions);
        // Most stay on their box's edge; the highest-scoring one is always in its natural place.
        Assert.True(Enumerable.Range(0, boxes.Length).Count(i => Touches(captions[i], boxes[i])) >= 25);
        Assert.True(Touches(captions[0], boxes[0]));
    }

    [Fact]
    public void SparseSceneKeepsEveryCaptionNextToItsBox()
    {
        var image = new Size(500, 400);
        for (int seed = 0; seed < 20; seed++)
        {
            var (boxes, sizes) = Scene(image, 4, seed, 15);
            var captions = CaptionLayout.Place(image, boxes, sizes);
            AssertDisjoint(captions);
            for (int i = 0; i < boxes.Length; i++) Assert.True(Touches(captions[i], boxes[i]), $"seed {seed}: caption {captions[i]} away from box {boxes[i]}");
        }
    }

    [Theory]
    [InlineData(64, 64, 11)]
    [InlineData(320, 240, 15)]
    [InlineData(4000, 3000, 160)]
    public void BoxesAtAllFourBordersKeepTheirCaptionsInsideAndNextToThem(int width, int height, int fontHeight)
    {
        var image = new Size(width, height);
        float s = Math.Min(width, height) / 4f;
        RectangleF[] boxes =
        [
            new(0, 0, s, s), new(width - s, 0, s, s), new(0, height - s, s, s), new(width - s, height - s, s, s),
            new(width / 2f - s / 2, 0, s, s / 2), new(width / 2f - s / 2, height - s / 2, s, s / 2),
            new(0, height / 2f - s / 2, s / 2, s), new(width - s / 2, height / 2f - s / 2, s / 2, s),
        ];
        var sizes = boxes.Select(_ => new Size((int)(s * 0.9f), fontHeight)).ToArray();
        var captions = CaptionLayout.Place(image, boxes, sizes);
        AssertInside(image, captions);
        AssertDisjoint(captions);
        for (int i = 0; i < boxes.Length; i++) Assert.True(Touches(captions[i], boxes[i]), $"caption {captions[i]} away from box {boxes[i]}");
    }

    [Fact]
    public void BoxesBeyondTheImageAndTheWholeImageStillGetCaptionsInside()
    {
        var image = new Size(200, 150);
        var captions = Place(image, new RectangleF(-30, -20, 100, 80), new RectangleF(150, 120, 100, 80), new RectangleF(0, 0, 200, 150),
            new RectangleF(-500, -500, 10, 10), new RectangleF(900, 900, 10, 10));
        AssertInside(image, captions);
        AssertDisjoint(captions);
        Assert.Equal(new Point(0, 0), captions[0].Location);
    }

    [Fact]
    public void CaptionWiderOrTallerThanTheImageIsCutToIt()
    {
        var caption = CaptionLayout.Place(new Size(40, 10), [new RectangleF(5, 2, 10, 5)], [new Size(100, 30)]).Single();
        Assert.Equal(new Rectangle(0, 0, 40, 10), caption);
    }

    [Fact]
    public void TinyCrowdedImageStaysInsideAndItsFirstCaptionsDoNotOverlap()
    {
        // 64 px with an 8-px font: room for about five captions, then the rest must overlap.
        var image = new Size(64, 64);
        var (boxes, _) = Scene(image, 50, 7, 11);
        var sizes = boxes.Select(_ => new Size(56, 11)).ToArray();
        var captions = CaptionLayout.Place(image, boxes, sizes);
        AssertInside(image, captions);
        AssertDisjoint(captions.Take(4).ToArray());
    }

    [Fact]
    public void EqualInputGivesEqualLayout()
    {
        var image = new Size(640, 480);
        var (boxes, sizes) = Scene(image, 50, 11, 15);
        Assert.Equal(CaptionLayout.Place(image, boxes, sizes), CaptionLayout.Place(image, boxes, sizes));
    }

    [Fact]
    public void MismatchedCountsAndEmptySizesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => CaptionLayout.Place(new Size(10, 10), [new RectangleF(0, 0, 5, 5)], []));
        Assert.Throws<ArgumentException>(() => CaptionLayout.Place(new Size(0, 10), [], []));
        Assert.Throws<ArgumentException>(() => CaptionLayout.Place(new Size(10, 10), [new RectangleF(0, 0, 5, 5)], [new Size(0, 4)]));
    }

    [Fact]
    public void LeaderJoinsTheFacingSidesOfADetachedCaption()
    {
        var box = new RectangleF(100, 100, 50, 50);
        Assert.Null(CaptionLayout.Leader(new Rectangle(100, 86, 60, 14), box));
        Assert.Null(CaptionLayout.Leader(new Rectangle(110, 110, 20, 10), box));
        var (from, to) = CaptionLayout.Leader(new Rectangle(120, 40, 60, 14), box)!.Value;
        Assert.Equal(new PointF(135, 54), from);
        Assert.Equal(new PointF(135, 100), to);
        (from, to) = CaptionLayout.Leader(new Rectangle(0, 0, 60, 14), box)!.Value;
        Assert.Equal(new PointF(60, 14), from);
        Assert.Equal(new PointF(100, 100), to);
    }
}
