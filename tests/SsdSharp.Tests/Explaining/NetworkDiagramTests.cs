using SkiaSharp;
using SsdSharp.Configuration;
using SsdSharp.Explaining;
using SsdSharp.Imaging;
using SsdSharp.Modeling;

namespace SsdSharp.Tests.Explaining;

public class NetworkDiagramTests
{
    [Fact]
    public void Voc300HasSixSourcesOf8732DefaultBoxes()
    {
        var diagram = NetworkDiagram.Of(SsdPresets.Voc300);
        Assert.Equal(new[] { 38, 19, 10, 5, 3, 1 }, diagram.Sources.Select(s => s.Size));
        Assert.Equal(new[] { 4, 6, 6, 6, 4, 4 }, diagram.Sources.Select(s => s.BoxesPerLocation));
        Assert.Equal(new[] { 512, 1024, 512, 256, 256, 256 }, diagram.Sources.Select(s => s.Channels));
        Assert.Equal(new[] { "conv4_3", "conv7 (fc7)", "conv8_2", "conv9_2", "conv10_2", "conv11_2" }, diagram.Sources.Select(s => s.Map));
        Assert.Equal(new[] { 5776, 2166, 600, 150, 36, 4 }, diagram.Sources.Select(s => s.Priors));
        Assert.Equal(new[] { 0, 5776, 7942, 8542, 8692, 8728 }, diagram.Sources.Select(s => s.FirstPrior));
        Assert.Equal(8732, diagram.TotalPriors);
        Assert.Equal(new[] { 16, 24, 24, 24, 16, 16 }, diagram.Sources.Select(s => s.LocChannels));
        Assert.Equal(new[] { 84, 126, 126, 126, 84, 84 }, diagram.Sources.Select(s => s.ConfChannels));
        Assert.True(diagram.Sources[0].L2Norm);
        Assert.All(diagram.Sources.Skip(1), s => Assert.False(s.L2Norm));
        // The VGG stages, fc6, fc7 and four extra pairs.
        Assert.Equal(new[] { "conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3", "conv6 (fc6)", "conv7 (fc7)", "conv8_2", "conv9_2", "conv10_2", "conv11_2" },
            diagram.Maps.Select(m => m.Name));
        Assert.Equal(new[] { 300, 150, 75, 38, 19, 19, 19, 10, 5, 3, 1 }, diagram.Maps.Select(m => m.Size));
        Assert.Contains("max pool 2×2, ceil", diagram.Maps[3].Layers);
    }

    [Fact]
    public void Voc512HasSevenSourcesOf24564DefaultBoxes()
    {
        var diagram = NetworkDiagram.Of(SsdPresets.Voc512);
        Assert.Equal(new[] { 64, 32, 16, 8, 4, 2, 1 }, diagram.Sources.Select(s => s.Size));
        Assert.Equal(new[] { 4, 6, 6, 6, 6, 4, 4 }, diagram.Sources.Select(s => s.BoxesPerLocation));
        Assert.Equal(24564, diagram.TotalPriors);
        Assert.Equal(diagram.TotalPriors, diagram.Sources.Sum(s => s.Priors));
        Assert.Equal("conv12_2", diagram.Sources[^1].Map);
    }

    /// <summary>A configuration that is no preset: the shapes base with only three extra pairs (five sources).</summary>
    private static SsdConfig FiveSources() => (SsdPresets.Shapes300 with
    {
        Name = "five",
        Extras = SsdPresets.Shapes300.Extras.Take(6).ToArray(),
        FeatureMaps = [38, 19, 10, 5, 3],
        Steps = [8, 16, 32, 64, 100],
        MinSizes = [30, 60, 111, 162, 213],
        MaxSizes = [60, 111, 162, 213, 264],
        AspectRatios = [[2], [2, 3], [2, 3], [2, 3], [2]],
    }).Validate();

    public static TheoryData<string> Configs => new("voc300", "voc512", "shapes300", "five");

    [Theory]
    [MemberData(nameof(Configs))]
    public void SourcesAgreeWithTheNetworksForwardPass(string name)
    {
        var config = name == "five" ? FiveSources() : SsdConfig.Load(name);
        var diagram = NetworkDiagram.Of(config);
        using var network = new SsdNetwork(config);
        var summary = NetworkSummary.Of(network);
        Assert.Equal(summary.Sources.Select(s => (int)s.Shape[2]), diagram.Sources.Select(s => s.Size));
        Assert.Equal(summary.Sources.Select(s => (int)s.Shape[1]), diagram.Sources.Select(s => s.Channels));
        Assert.Equal(summary.Sources.Select(s => s.Priors), diagram.Sources.Select(s => s.Priors));
        Assert.Equal(summary.TotalPriors, diagram.TotalPriors);
        // Each map's side is that of the last layer the forward pass ran before it (L2Norm and heads aside).
        var sides = summary.Layers.Where(l => !l.Name.StartsWith("loc", StringComparison.Ordinal) && !l.Name.StartsWith("conf", StringComparison.Ordinal))
            .Select(l => (int)l.OutputShape[2]).Distinct().ToList();
        Assert.Equal(sides, diagram.Maps.Select(m => m.Size).Distinct().ToList());
    }

    [Fact]
    public void TheDrawingShowsEveryShapeAndCount()
    {
        var diagram = NetworkDiagram.Of(SsdPresets.Voc300);
        var svg = NetworkDiagramSketch.Draw(diagram).ToSvg();
        foreach (var text in new[] { "38×38×512", "19×19×1024", "10×10×512", "5×5×256", "3×3×256", "1×1×256", "38×38 × 4 = 5,776 boxes",
                     "19×19 × 6 = 2,166 boxes", "1×1 × 4 = 4 boxes", "8,732 detections per class", "source 0, L2Norm", "priors 8728–8731" })
            Assert.Contains($">{text}<", svg);
        Assert.StartsWith("<svg ", svg);
    }

    [Fact]
    public void PngAndSvgAreWrittenAndOtherFormatsRefused()
    {
        var directory = Directory.CreateTempSubdirectory("ssd-diagram").FullName;
        try
        {
            var sketch = NetworkDiagramSketch.Draw(NetworkDiagram.Of(SsdPresets.Shapes300));
            sketch.Save(Path.Combine(directory, "d.png"));
            sketch.Save(Path.Combine(directory, "d.svg"));
            using var png = SKBitmap.Decode(Path.Combine(directory, "d.png"));
            Assert.Equal((int)Math.Ceiling(sketch.Width * 2), png.Width);
            Assert.Contains("conv4_2", File.ReadAllText(Path.Combine(directory, "d.svg")));
            var e = Assert.Throws<SsdInputException>(() => sketch.Save(Path.Combine(directory, "d.gif")));
            Assert.Contains("d.gif", e.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void SvgTextIsEscaped()
    {
        var sketch = new Sketch(10, 10);
        sketch.Text(0, 5, "a<b & c", 8, SKColors.Black);
        Assert.Contains(">a&lt;b &amp; c<", sketch.ToSvg());
    }
}
