using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Onnx;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Onnx;

/// <summary>Every preset exports, loads in ONNX Runtime and gives what the libtorch backend gives for the same weights.</summary>
public class PresetExportTests
{
    /// <summary>
    /// Weights drawn from a seeded generator for every key of the network of <paramref name="config"/>:
    /// convolutions of variance 1 / fan-in (activations shrink gently through the base instead of
    /// overflowing exp in the box decoding), small biases, and batch-norm
    /// statistics far enough from 0 and 1 that folding them matters.
    /// </summary>
    internal static Dictionary<string, HostTensor> RandomWeights(SsdConfig config, int seed)
    {
        using var network = new SsdNetwork(config);
        return RandomWeights(network, seed);
    }

    private static Dictionary<string, HostTensor> RandomWeights(SsdNetwork network, int seed)
    {
        var config = network.Config;
        var random = new Random(seed);
        var result = new Dictionary<string, HostTensor>();
        foreach (var (key, tensor) in StateDictLoader.Weights(network))
        {
            var shape = tensor.shape;
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            double fanIn = shape.Length == 4 ? shape[1] * shape[2] * shape[3] : 1;
            for (int i = 0; i < values.Length; i++)
            {
                double u = random.NextDouble();
                values[i] = key switch
                {
                    "L2Norm.weight" => 20,
                    _ when key.EndsWith(".running_var", StringComparison.Ordinal) => (float)(0.5 + u),
                    _ when key.EndsWith(".running_mean", StringComparison.Ordinal) => (float)(0.2 * (u - 0.5)),
                    _ when shape.Length == 4 => (float)((u - 0.5) * Math.Sqrt(12 / fanIn)),
                    _ when shape.Length == 1 && config.BatchNorm && key.EndsWith(".weight", StringComparison.Ordinal) => (float)(0.5 + u),
                    _ => (float)(0.1 * (u - 0.5)),
                };
            }
            result[key] = HostTensor.FromFloat32(values, shape);
        }
        return result;
    }

    [Theory]
    [InlineData("voc300", 2)]
    [InlineData("coco300", 1)]
    [InlineData("voc512", 1)]
    [InlineData("coco512", 1)]
    [InlineData("shapes300", 3)]
    [InlineData("shapes512", 1)]
    public void PresetExportsAndRunsLikeLibTorch(string preset, int batch)
    {
        var config = SsdConfig.Load(preset);
        var network = new SsdNetwork(config);
        var weights = RandomWeights(network, seed: preset.Length);
        StateDictLoader.Load(network, weights, "random weights");
        var input = RandomInput(config, batch);
        NetworkPredictions expected;
        using (var libTorch = new LibTorchBackend(network)) expected = libTorch.Run(input, batch);
        using var backend = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights), config, preset);
        var actual = backend.Run(input, batch);
        Assert.Equal((batch, config.NumPriors, config.NumClasses), (actual.Count, actual.Priors, actual.Classes));
        ArrayAssert.Close(expected.Boxes, actual.Boxes, rtol: 1e-4, atol: 1e-5, $"{preset} boxes");
        ArrayAssert.Close(expected.Scores, actual.Scores, rtol: 1e-4, atol: 1e-5, $"{preset} scores");
    }

    [Fact]
    public void BatchNormAsNodesGivesWhatFoldedBatchNormGives()
    {
        var config = SsdPresets.Shapes300;
        var weights = RandomWeights(config, seed: 3);
        var input = RandomInput(config, 2);
        using var folded = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights), config, "folded");
        using var nodes = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights, new OnnxExportOptions { FoldBatchNorm = false }), config, "nodes");
        var a = folded.Run(input, 2);
        var b = nodes.Run(input, 2);
        ArrayAssert.Close(b.Boxes, a.Boxes, rtol: 1e-4, atol: 1e-5, "boxes");
        ArrayAssert.Close(b.Scores, a.Scores, rtol: 1e-4, atol: 1e-5, "scores");
    }

    [Theory]
    [InlineData(OnnxExportOptions.MinOpset)]
    [InlineData(OnnxExportOptions.MaxOpset)]
    public void OldestAndNewestOpsetRun(int opset)
    {
        var config = SsdPresets.Shapes300;
        var weights = RandomWeights(config, seed: 5);
        var input = RandomInput(config, 1);
        using var reference = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights), config, "opset 17");
        using var other = OnnxRuntimeBackend.FromModel(OnnxExporter.Export(config, weights, new OnnxExportOptions { Opset = opset, WithNms = true }), config, $"opset {opset}");
        ArrayAssert.Close(reference.Run(input, 1).Scores, other.Run(input, 1).Scores, rtol: 1e-6, atol: 1e-7, "scores");
    }

    [Theory]
    [InlineData(12)]
    [InlineData(22)]
    public void OpsetOutsideTheSupportedRangeIsRefused(int opset)
    {
        var e = Assert.Throws<SsdInputException>(() => OnnxExporter.Export(SsdPresets.Shapes300, RandomWeights(SsdPresets.Shapes300, 1), new OnnxExportOptions { Opset = opset }));
        Assert.Equal($"opset: must be from 13 to 21, got {opset}", e.Message);
    }

    [Fact]
    public void WeightsOfAnotherNetworkAreRefusedWithTheKeys()
    {
        var e = Assert.Throws<WeightsException>(() => OnnxExporter.Export(SsdPresets.Voc300, RandomWeights(SsdPresets.Shapes300, 1), source: "shapes.safetensors"));
        Assert.StartsWith("shapes.safetensors: does not fit the network: missing ", e.Message);
        Assert.Contains("mis-shaped vgg.0.weight (file [16, 3, 3, 3], network [64, 3, 3, 3])", e.Message);
    }

    [Fact]
    public void NonFiniteWeightsAreRefusedWithTheirKeys()
    {
        var weights = RandomWeights(SsdPresets.Shapes300, 1);
        var values = weights["conf.1.bias"].ToFloat32();
        values[3] = float.NaN;
        weights["conf.1.bias"] = HostTensor.FromFloat32(values, weights["conf.1.bias"].Shape);
        var e = Assert.Throws<WeightsException>(() => OnnxExporter.Export(SsdPresets.Shapes300, weights, source: "nan.safetensors"));
        Assert.Equal("nan.safetensors: NaN or infinite values in conf.1.bias; expected finite weights", e.Message);
    }

    [Fact]
    public void NegativeRunningVariancesAreRefusedWithTheirKeys()
    {
        var weights = RandomWeights(SsdPresets.Shapes300, 1);
        var values = weights["vgg.1.running_var"].ToFloat32();
        values[0] = -1e-3f;
        weights["vgg.1.running_var"] = HostTensor.FromFloat32(values, weights["vgg.1.running_var"].Shape);
        var e = Assert.Throws<WeightsException>(() => OnnxExporter.Export(SsdPresets.Shapes300, weights, source: "bn.safetensors"));
        Assert.Equal("bn.safetensors: negative values in vgg.1.running_var; expected running variances ≥ 0 (the file is damaged)", e.Message);
    }

    internal static float[] RandomInput(SsdConfig config, int batch)
    {
        var random = new Random(11);
        var input = new float[batch * 3 * config.InputSize * config.InputSize];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 255 - 120);
        return input;
    }
}
