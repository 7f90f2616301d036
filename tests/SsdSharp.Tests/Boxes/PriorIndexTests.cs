using SsdSharp.Boxes;
using SsdSharp.Configuration;

namespace SsdSharp.Tests.Boxes;

public class PriorIndexTests
{
    [Fact]
    public void Voc300SourcesOwnTheRangesOfTheirDefaultBoxes()
    {
        var index = PriorIndex.For(SsdPresets.Voc300);
        Assert.Equal(8732, index.Count);
        Assert.Equal(new[] { 0, 5776, 7942, 8542, 8692, 8728 }, Enumerable.Range(0, 6).Select(index.Start));
        Assert.Equal(new[] { 5776, 2166, 600, 150, 36, 4 }, Enumerable.Range(0, 6).Select(index.CountOf));
        Assert.Equal(0, index.SourceOf(5775));
        Assert.Equal(1, index.SourceOf(5776));
        Assert.Equal(5, index.SourceOf(8731));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SourceOf(8732));
    }

    [Fact]
    public void LocateAndIndexOfAreInverse()
    {
        var index = PriorIndex.For(SsdPresets.Voc512);
        for (int prior = 0; prior < index.Count; prior += 37)
            Assert.Equal(prior, index.IndexOf(index.Locate(prior)));
        Assert.Equal(new PriorLocation(0, 0, 1, 0), index.Locate(4));
        Assert.Equal(new PriorLocation(1, 0, 0, 5), index.Locate(index.Start(1) + 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.IndexOf(new PriorLocation(0, 64, 0, 0)));
    }

    [Fact]
    public void EachLocatedPriorIsCentredOnItsCell()
    {
        var config = SsdPresets.Voc300;
        var boxes = DefaultBoxes.For(config);
        var index = PriorIndex.For(config);
        for (int prior = 0; prior < index.Count; prior += 11)
        {
            var (k, row, column, _) = index.Locate(prior);
            double cells = config.InputSize / config.Steps[k];
            // Centres are clipped like the sides: the 10×10 source's step 32 puts its last centres at 9.5 / 9.375 = 1.0133.
            Assert.Equal(Math.Min(1, (column + 0.5) / cells), boxes.CenterForm[prior * 4], 5);
            Assert.Equal(Math.Min(1, (row + 0.5) / cells), boxes.CenterForm[prior * 4 + 1], 5);
        }
    }
}
