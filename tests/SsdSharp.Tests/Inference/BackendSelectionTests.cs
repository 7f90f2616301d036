using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Onnx;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Inference;

/// <summary>ONNX Runtime on model files (exported on the fly and cached), and the auto choice among backends, each with a temporary cache.</summary>
public sealed class BackendSelectionTests : IDisposable
{
    private static readonly string Model = BundledDetector.ModelPath;
    private readonly string _cache = Directory.CreateTempSubdirectory("ssdsharp-cache").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private DetectorOptions Options(InferenceBackendKind backend) => new() { Backend = backend, CacheDirectory = _cache };

    [Fact]
    public void ModelFileIsExportedOnceThenOpenedFromTheCacheAndRunsLikeLibTorch()
    {
        var input = SsdPresets.Shapes300 is var c ? PresetInput(c) : null!;
        NetworkPredictions first;
        using (var backend = InferenceBackends.Open(Model, null, Options(InferenceBackendKind.OnnxRuntime)))
        {
            Assert.StartsWith("onnxruntime ", backend.Description);
            first = backend.Run(input, 1);
        }
        var exported = Directory.GetFiles(Path.Combine(_cache, "onnx"), "*.onnx");
        Assert.Single(exported);
        var written = File.GetLastWriteTimeUtc(exported[0]);
        using (var again = InferenceBackends.Open(Model, null, Options(InferenceBackendKind.OnnxRuntime)))
            Assert.Equal(first.Scores, again.Run(input, 1).Scores);
        Assert.Equal(written, File.GetLastWriteTimeUtc(exported[0]));

        using var libTorch = InferenceBackends.Open(Model, null, Options(InferenceBackendKind.LibTorch));
        var expected = libTorch.Run(input, 1);
        ArrayAssert.Close(expected.Boxes, first.Boxes, rtol: 1e-4, atol: 1e-5, "boxes");
        ArrayAssert.Close(expected.Scores, first.Scores, rtol: 1e-4, atol: 1e-5, "scores");
    }

    [Fact]
    public void OnnxFileCarriesItsConfigurationAndRefusesLibTorch()
    {
        var (config, weights) = SsdSharp.Weights.ModelFile.Load(Model);
        var path = Path.Combine(_cache, "shapes.onnx");
        OnnxExporter.Save(path, config, weights);
        using (var detector = SsdDetector.Load(path, Options(InferenceBackendKind.Auto)))
        {
            Assert.Equal(config.ToJson(), detector.Config.ToJson());
            Assert.StartsWith("onnxruntime ", detector.Backend.Description);
            Assert.NotEmpty(detector.Detect(Path.Combine(AppContext.BaseDirectory, "TestData", "ssd-pytorch", "image_11.png")).Detections);
        }
        var e = Assert.Throws<SsdInputException>(() => InferenceBackends.Open(path, null, Options(InferenceBackendKind.LibTorch)));
        Assert.Equal($"{path}: an ONNX model runs on ONNX Runtime; backend libtorch does not go with it", e.Message);
        var other = Assert.Throws<WeightsException>(() => InferenceBackends.Open(path, SsdPresets.Voc300, Options(InferenceBackendKind.OnnxRuntime)));
        Assert.StartsWith($"{path}: the model is shapes300 (300 px, 8732 default boxes, 5 class names); config 'voc300' describes another network", other.Message);
    }

    /// <summary>A configuration of another network over a model file was blamed on the file ("does not fit the network").</summary>
    [Theory]
    [InlineData(InferenceBackendKind.LibTorch)]
    [InlineData(InferenceBackendKind.OnnxRuntime)]
    [InlineData(InferenceBackendKind.Auto)]
    public void AConfigurationOfAnotherNetworkOverAModelFileIsNamed(InferenceBackendKind backend)
    {
        var threeClasses = SsdPresets.Shapes300 with { Name = "three", ClassNames = ["circle", "square", "star"] };
        var e = Assert.Throws<WeightsException>(() => InferenceBackends.Open(Model, threeClasses, Options(backend)));
        Assert.Equal($"{Model}: the model is shapes300 (300 px, 8732 default boxes, 5 class names); config 'three' describes another network " +
                     "(300 px, 8732 default boxes, 3 class names); expected a configuration of the same network (5 class names), or none", e.Message);
    }

    [Fact]
    public void AFileThatIsNotOnnxIsNamed()
    {
        var path = Path.Combine(_cache, "broken.onnx");
        File.WriteAllText(path, "not a model");
        var e = Assert.Throws<SsdInputException>(() => InferenceBackends.Open(path, null, Options(InferenceBackendKind.Auto)));
        Assert.StartsWith($"{path}: ONNX Runtime cannot load it", e.Message);
    }

    [Fact]
    public void AutoTimesTheFloat32CandidatesOnceAndRemembersTheFastest()
    {
        var (backend, choice) = AutoBackend.Open(Model, null, Options(InferenceBackendKind.Auto));
        using (backend)
        {
            Assert.False(choice.FromCache);
            Assert.Equal(3, choice.Timings.Count);
            Assert.Equal(choice.Timings.Min(t => t.Milliseconds), choice.Milliseconds);
            Assert.Equal(choice.Description, backend.Description);
            Assert.NotEqual(InferencePrecision.BFloat16, choice.Options.Precision);
        }
        var (again, remembered) = AutoBackend.Open(Model, null, Options(InferenceBackendKind.Auto));
        using (again)
        {
            Assert.True(remembered.FromCache);
            Assert.Equal(choice.Options.Backend, remembered.Options.Backend);
            Assert.Equal(choice.Options.Layout, remembered.Options.Layout);
            Assert.Equal(choice.Milliseconds, remembered.Milliseconds);
        }
        var (timedAgain, fresh) = AutoBackend.Open(Model, null, Options(InferenceBackendKind.Auto) with { CacheAutoChoice = false });
        using (timedAgain) Assert.False(fresh.FromCache);
    }

    [Fact]
    public void AutoTimesTheCandidatesInAlternationSoThatASlowSpellCostsEachOneRound()
    {
        // A pass of A takes 30 ms, of B 20 ms, of C 25 ms, but passes 4 to 9 fall in a slow spell of the machine (40 ms more).
        // Timed one after the other (a warm-up and three passes each), all of B's passes would fall in it and C would win.
        var cost = new Dictionary<string, double> { ["A"] = 30, ["B"] = 20, ["C"] = 25 };
        var order = new List<string>();
        var ms = AutoBackend.TimeInAlternation([new NamedBackend("A"), new NamedBackend("B"), new NamedBackend("C")], rounds: 3, backend =>
        {
            order.Add(backend.Description);
            return cost[backend.Description] + (order.Count is >= 4 and <= 9 ? 40 : 0);
        });
        Assert.Equal(["A", "B", "C", "A", "B", "C", "B", "C", "A", "C", "A", "B"], order);
        Assert.Equal([30.0, 20.0, 25.0], ms);
    }

    [Fact]
    public void AutoTimesNoCandidateOnlyRightAfterTheSameOther()
    {
        // A pass of B takes 20 ms, of C 25 ms, but right after A (whose threads keep spinning) any pass takes 40 ms more.
        // In the same order every round B would always follow A and C would win.
        var cost = new Dictionary<string, double> { ["A"] = 30, ["B"] = 20, ["C"] = 25 };
        string? previous = null;
        var ms = AutoBackend.TimeInAlternation([new NamedBackend("A"), new NamedBackend("B"), new NamedBackend("C")], rounds: 3, backend =>
        {
            var pass = cost[backend.Description] + (previous == "A" ? 40 : 0);
            previous = backend.Description;
            return pass;
        });
        Assert.Equal([30.0, 20.0, 25.0], ms);
    }

    /// <summary>A candidate that is only timed (by the test's clock), never run.</summary>
    private sealed class NamedBackend(string name) : IInferenceBackend
    {
        public SsdConfig Config => SsdPresets.Shapes300;
        public string Description => name;
        public NetworkPredictions Run(float[] input, int count) => throw new InvalidOperationException("timed by the test, not run");
        public void Dispose() { }
    }

    [Fact]
    public void AutoOffersOnlyWhatWasAskedFor()
    {
        var auto = Options(InferenceBackendKind.Auto);
        Assert.Equal(
            [(InferenceBackendKind.LibTorch, TensorLayout.Contiguous), (InferenceBackendKind.LibTorch, TensorLayout.ChannelsLast), (InferenceBackendKind.OnnxRuntime, TensorLayout.Contiguous)],
            AutoBackend.Candidates(auto).Select(c => (c.Backend, c.Layout)));
        Assert.Equal(
            [(InferenceBackendKind.LibTorch, TensorLayout.Contiguous, InferencePrecision.BFloat16), (InferenceBackendKind.LibTorch, TensorLayout.ChannelsLast, InferencePrecision.BFloat16)],
            AutoBackend.Candidates(auto with { Precision = InferencePrecision.BFloat16 }).Select(c => (c.Backend, c.Layout, c.Precision)));
        Assert.Equal([(InferenceBackendKind.LibTorch, TensorLayout.ChannelsLast)],
            AutoBackend.Candidates(auto with { Layout = TensorLayout.ChannelsLast }).Select(c => (c.Backend, c.Layout)));
        Assert.Equal([InferenceBackendKind.LibTorch], AutoBackend.Candidates(auto with { Device = ComputeDevice.Cuda() }).Select(c => c.Backend));
    }

    [Theory]
    [InlineData(InferencePrecision.BFloat16, TensorLayout.Contiguous, "dtype bfloat16: the ONNX Runtime backend computes in float32; bfloat16 needs backend libtorch")]
    [InlineData(InferencePrecision.Auto, TensorLayout.ChannelsLast, "channels-last: a libtorch layout; ONNX Runtime chooses its own")]
    public void OnnxRuntimeConflictsAreNamed(InferencePrecision precision, TensorLayout layout, string message)
    {
        var e = Assert.Throws<SsdInputException>(() => new DetectorOptions { Backend = InferenceBackendKind.OnnxRuntime, Precision = precision, Layout = layout }.Validate());
        Assert.Equal(message, e.Message);
    }

    private static float[] PresetInput(SsdConfig config) =>
        Preprocess.ToNetworkInput(RgbImage.Decode(Path.Combine(AppContext.BaseDirectory, "TestData", "ssd-pytorch", "image_11.png")), NetworkInputFormat.From(config));
}
