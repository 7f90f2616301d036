using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Explaining;
using SsdSharp.Inference;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Explaining;

public sealed class DetectionExplanationTests : IDisposable
{
    private static readonly string Model = BundledDetector.ModelPath;

    private readonly SsdDetector _detector = SsdDetector.Load(Model, new DetectorOptions
    {
        Backend = InferenceBackendKind.LibTorch,
        Detection = new DetectionOptions { ConfidenceThreshold = 0.3 },
    });

    public void Dispose() => _detector.Dispose();

    /// <summary>The bundled sample <c>samples/shapes-1.jpg</c>, found above the test's folder.</summary>
    private static string Sample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "shapes-1.jpg");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("samples/shapes-1.jpg not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void KeptDetectionsAreTheDetectorsWithTheirSourceMaps()
    {
        var explanation = DetectionExplanation.Of(_detector, Sample());
        var detected = _detector.Detect(Sample()).Detections;
        Assert.NotEmpty(detected);
        Assert.Equal(detected.Select(d => (d.ClassId, d.Score, d.Box)), explanation.Kept.Select(d => (d.Detection.ClassId, d.Detection.Score, d.Box)));

        var index = PriorIndex.For(_detector.Config);
        foreach (var kept in explanation.Kept)
        {
            Assert.Equal(index.SourceOf(kept.Detection.Prior), kept.Location.Source);
            Assert.Equal(kept.Detection.Prior, index.IndexOf(kept.Location));
            // A kept box is one of its class's candidates, decoded from the same default box.
            Assert.Contains(kept.Detection, explanation.Candidates.Select(c => c.Detection));
        }
        Assert.True(explanation.Candidates.Count > explanation.Kept.Count);
        Assert.All(explanation.Candidates, c => Assert.True(c.Detection.Score > 0.3));
    }

    [Fact]
    public void PicturesAreDrawnForEveryClassWithCandidates()
    {
        var directory = Directory.CreateTempSubdirectory("ssd-detect").FullName;
        try
        {
            var explanation = DetectionExplanation.Of(_detector, Sample());
            var files = explanation.Draw(_detector.Config, _detector.Detection, directory);
            var classes = explanation.Candidates.Select(c => _detector.Config.LabelOf(c.Detection.ClassId)).Distinct();
            Assert.Equal(["detect.png", .. classes.Select(c => $"detect-{c}.png")], files.Select(Path.GetFileName));
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
