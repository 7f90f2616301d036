using System.Text.Json;
using SsdSharp.Boxes;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>The torchvision fixture checkpoint (21 classes, float16) loaded once, as a libtorch detector with the model's own post-processing.</summary>
public sealed class TorchvisionModel : IDisposable
{
    private readonly Lazy<SsdDetector> _detector = new(() =>
    {
        var path = Fixtures.SharedTorchvisionCheckpoint() ?? throw new InvalidOperationException(
            "../shared/fixtures/torchvision/tv_ssd300_vgg16_seed0_fp16.pth is absent: torchvision parity tests need the shared fixtures beside the clone");
        // libtorch: the parity tests also compare the network's head outputs.
        return SsdDetector.Load(path, new DetectorOptions { Backend = InferenceBackendKind.LibTorch });
    });

    public SsdDetector Detector => _detector.Value;

    public SsdNetwork Network => ((LibTorchBackend)Detector.Backend).Network;

    public void Dispose()
    {
        if (_detector.IsValueCreated) _detector.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TorchvisionModelCollection : ICollectionFixture<TorchvisionModel>
{
    public const string Name = "torchvision model";
}

/// <summary>torchvision's detections of the fixture image and the README's comparison rule.</summary>
internal static class TorchvisionDetections
{
    public static List<Detection> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.TorchvisionFile("tv_ssd300_seed0_image13_detections.json")));
        return doc.RootElement.GetProperty("detections").EnumerateArray().Select(d =>
        {
            var b = d.GetProperty("box").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
            int label = d.GetProperty("label").GetInt32();
            return new Detection(label, label.ToString(), (float)d.GetProperty("score").GetDouble(), new PixelBox(b[0], b[1], b[2], b[3]));
        }).ToList();
    }

    /// <summary>
    /// As many detections; each of torchvision's has one of ours with its label, its score within 2e-4 and
    /// its box within 0.05 px, except that at the 200-detection cap boxes whose scores differ by less than
    /// 1e-4 from the last kept score may be swapped for others.
    /// </summary>
    public static void AssertMatch(IReadOnlyList<Detection> expected, IReadOnlyList<Detection> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        float lastScore = expected.Min(d => d.Score);
        var used = new bool[actual.Count];
        int swapped = 0;
        foreach (var e in expected)
        {
            int match = Enumerable.Range(0, actual.Count).FirstOrDefault(i => !used[i] && Close(actual[i], e), -1);
            if (match < 0 && e.Score - lastScore < 1e-4)
            {
                swapped++;
                continue;
            }
            Assert.True(match >= 0, $"torchvision's detection {e.ClassId} {e.Score} {e.Box} has no counterpart within 2e-4 / 0.05 px");
            used[match] = true;
        }
        Assert.All(actual.Where((_, i) => !used[i]), d => Assert.True(d.Score - lastScore < 1e-4, $"extra detection {d.ClassId} {d.Score} {d.Box}"));
        Assert.True(swapped <= 2, $"{swapped} detections at the cap differ");
    }

    private static bool Close(Detection a, Detection e) =>
        a.ClassId == e.ClassId && Math.Abs(a.Score - e.Score) <= 2e-4 &&
        Math.Abs(a.Box.X1 - e.Box.X1) <= 0.05 && Math.Abs(a.Box.Y1 - e.Box.Y1) <= 0.05 &&
        Math.Abs(a.Box.X2 - e.Box.X2) <= 0.05 && Math.Abs(a.Box.Y2 - e.Box.Y2) <= 0.05;
}
