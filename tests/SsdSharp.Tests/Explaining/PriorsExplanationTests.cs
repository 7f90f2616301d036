using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Explaining;

namespace SsdSharp.Tests.Explaining;

public class PriorsExplanationTests
{
    [Theory]
    [InlineData("voc300", 0)]
    [InlineData("voc300", 3)]
    [InlineData("voc512", 6)]
    public void ChosenCellsHoldTheBoxesOfSpecSection2(string name, int source)
    {
        var config = SsdConfig.Load(name);
        var cells = PriorsExplanation.ChosenCells(config, DefaultBoxes.For(config), source);
        Assert.NotEmpty(cells);
        double size = config.InputSize, s = config.MinSizes[source] / size, sPrime = Math.Sqrt(s * config.MaxSizes[source] / size);
        double cellsPerSide = size / config.Steps[source];
        foreach (var cell in cells)
        {
            // Independent of DefaultBoxes' loops: 1, 1', then r and 1/r, centred on the cell, clipped to [0, 1].
            var expected = new List<(double W, double H)> { (s, s), (sPrime, sPrime) };
            foreach (var r in config.AspectRatios[source])
                expected.AddRange([(s * Math.Sqrt(r), s / Math.Sqrt(r)), (s / Math.Sqrt(r), s * Math.Sqrt(r))]);
            Assert.Equal(expected.Count, cell.Boxes.Count);
            Assert.Equal(config.BoxesPerLocation[source], cell.Boxes.Count);
            for (int b = 0; b < expected.Count; b++)
            {
                var box = cell.Boxes[b];
                Assert.Equal(Math.Min(1, (cell.Column + 0.5) / cellsPerSide), box.Cx, 5);
                Assert.Equal(Math.Min(1, (cell.Row + 0.5) / cellsPerSide), box.Cy, 5);
                Assert.Equal(Math.Min(1, expected[b].W), box.W, 5);
                Assert.Equal(Math.Min(1, expected[b].H), box.H, 5);
            }
        }
    }

    [Fact]
    public void ShapesAreNamedInPriorOrder() =>
        Assert.Equal(new[] { "1", "1'", "2", "1/2", "3", "1/3" }, PriorsExplanation.ShapeNames([2, 3]));

    [Fact]
    public void OnePicturePerSourceIsDrawn()
    {
        var directory = Directory.CreateTempSubdirectory("ssd-priors").FullName;
        try
        {
            var files = PriorsExplanation.Draw(SsdPresets.Voc512, null, directory);
            Assert.Equal(Enumerable.Range(0, 7).Select(k => Path.Combine(directory, $"priors-{k}.png")), files);
            using var first = SKBitmap.Decode(files[0]);
            Assert.True(first.Width > first.Height);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
