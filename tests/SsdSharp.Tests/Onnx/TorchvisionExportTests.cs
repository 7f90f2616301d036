using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Onnx;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Onnx;

/// <summary>A torchvision300 configuration exports with its own box coder, preprocessing and post-processing.</summary>
public class TorchvisionExportTests
{
    private static readonly SsdConfig Config = SsdPresets.Torchvision300 with { ClassNames = ["a", "b"] };

    /// <summary>
    /// Box-regression biases that push every size offset past torchvision's bound (25 · 0.2 = 5 &gt; log(1000/16))
    /// and centres out of their default boxes, so that the bound and, with clipping, the clip decide the boxes.
    /// </summary>
    private static Dictionary<string, HostTensor> WildOffsets(SsdConfig config)
    {
        var weights = PresetExportTests.RandomWeights(config, seed: 7);
        foreach (var key in weights.Keys.Where(k => k.StartsWith("loc.", StringComparison.Ordinal) && k.EndsWith(".bias", StringComparison.Ordinal)).ToList())
        {
            var bias = weights[key].ToFloat32();
            for (int i = 0; i < bias.Length; i++) bias[i] = i % 4 >= 2 ? 25 : 3;
            weights[key] = HostTensor.FromFloat32(bias, weights[key].Shape);
        }
        return weights;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GraphBoundsSizeOffsetsAndClipsBoxesAsTheCoderDoes(bool clip)
    {
        var config = Config with { ClipDecodedBoxes = clip };
        var weights = WildOffsets(config);
        using var network = new SsdNetwork(config);
        StateDictLoader.Load(network, weights, "wild offsets");
        var input = PresetExportTests.RandomInput(config, 1);
        NetworkPredictions expected;
        using (var libTorch = new LibTorchBackend(network)) expected = libTorch.Run(input, 1);
        using var backend = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights), config, "torchvision300");
        var actual = backend.Run(input, 1);
        ArrayAssert.Close(expected.Boxes, actual.Boxes, rtol: 1e-4, atol: 1e-5, "boxes");
        // The cases differ: clipped corners stay in the image, unclipped ones leave it.
        Assert.Equal(clip, actual.Boxes.All(v => v is >= 0 and <= 1));
    }

    [Fact]
    public void MetadataDescribesTorchvisionsPreprocessingAndPostProcessing()
    {
        var model = global::Onnx.ModelProto.Parser.ParseFrom(OnnxExporter.Export(Config, PresetExportTests.RandomWeights(Config, seed: 1)));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("RGB, values scaled to 0-1 minus pixel_means per channel, divided by pixel_stds, then bilinear resize " +
                     "(PyTorch interpolate, align_corners=False, no antialiasing) to 300x300, aspect not kept, NCHW float32", metadata[OnnxMetadata.PreprocessingKey]);
        Assert.Equal("1", metadata[OnnxMetadata.PixelRangeKey]);
        Assert.Equal(SsdPresets.Torchvision300.PixelStds, System.Text.Json.JsonSerializer.Deserialize<double[]>(metadata[OnnxMetadata.PixelStdsKey]));
        Assert.Equal(("400", "200"), (metadata[OnnxMetadata.TopKKey], metadata[OnnxMetadata.MaxDetectionsKey]));
        Assert.Equal(Config.ToJson(), OnnxMetadata.ReadConfig(metadata, "tv.onnx").ToJson());
    }

    [Fact]
    public void ExplicitPostProcessingOverridesTheModelsOwn()
    {
        var options = new OnnxExportOptions { PostProcessing = new DetectionOptions { TopK = 50 } };
        var model = global::Onnx.ModelProto.Parser.ParseFrom(OnnxExporter.Export(Config, PresetExportTests.RandomWeights(Config, seed: 1), options));
        Assert.Equal("50", model.MetadataProps.Single(p => p.Key == OnnxMetadata.TopKKey).Value);
    }
}
