using Onnx;
using SsdSharp.Configuration;
using SsdSharp.Data.Synthetic;
using SsdSharp.Data;
using SsdSharp.Inference;
using SsdSharp.Onnx.Quantization;
using SsdSharp.Onnx;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;
using Xunit.Abstractions;

namespace SsdSharp.Tests.Onnx.Quantization;

/// <summary>
/// The bundled shapes model quantized on a few synthetic images: the file is QDQ with int8 weights,
/// ONNX Runtime loads it, and its outputs agree with the float32 model's within the tolerances below.
/// </summary>
public class Int8ExportTests(ITestOutputHelper output)
{
    private static readonly string Bundled = BundledDetector.ModelPath;
    private static readonly Lazy<Setup> Shared = new(Create);

    private sealed record Setup(SsdConfig Config, byte[] Float, byte[] Int8, CalibrationImages Test);

    private static Setup Create()
    {
        var root = Directory.CreateTempSubdirectory("ssd-int8").FullName;
        SyntheticDataset.Generate(root, new SyntheticDatasetOptions { Images = 40, Seed = 9 });
        var (config, stateDict) = ModelFile.Load(Bundled);
        var format = NetworkInputFormat.From(config);
        var calibration = CalibrationImages.From(DatasetSpec.Voc(root), "trainval", format, count: 8, seed: 0);
        var int8 = OnnxQuantizer.Quantize(config, stateDict, calibration, new QuantizationOptions(), calibration: "test");
        return new Setup(config, OnnxExporter.Export(config, stateDict), int8, CalibrationImages.From(DatasetSpec.Voc(root), "test", format, count: 4, seed: 0));
    }

    [Fact]
    public void EveryConvolutionHasInt8WeightsAndTheMetadataSaysSo()
    {
        var model = ModelProto.Parser.ParseFrom(Shared.Value.Int8);
        var convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        var initializers = model.Graph.Initializer.ToDictionary(i => i.Name);
        var producers = model.Graph.Node.ToDictionary(n => n.Output[0]);
        Assert.NotEmpty(convs);
        foreach (var conv in convs)
        {
            // input ← DequantizeLinear ← QuantizeLinear; weight ← DequantizeLinear(int8, per channel); output → QuantizeLinear.
            Assert.Equal("DequantizeLinear", producers[conv.Input[0]].OpType);
            var weight = producers[conv.Input[1]];
            Assert.Equal("DequantizeLinear", weight.OpType);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, initializers[weight.Input[0]].DataType);
            Assert.Equal(initializers[weight.Input[0]].Dims[0], initializers[weight.Input[1]].Dims[0]);
            Assert.Equal((int)TensorProto.Types.DataType.Int32, initializers[producers[conv.Input[2]].Input[0]].DataType);
            Assert.Single(model.Graph.Node, n => n.Input.Contains(conv.Output[0]) && n.OpType == "QuantizeLinear");
        }
        // ReLUs are folded into the quantization of the convolutions' outputs; no float weights remain.
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Relu");
        Assert.DoesNotContain(model.Graph.Initializer, i => i.Name.EndsWith(".weight", StringComparison.Ordinal) && i.Name != "L2Norm.weight" && i.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Contains(model.MetadataProps, p => p.Key == OnnxMetadata.QuantizationKey && p.Value.Contains("\"method\":\"minmax\""));
        Assert.True(Shared.Value.Int8.Length < Shared.Value.Float.Length / 3, "int8 weights take a quarter of the float ones");
    }

    [Fact]
    public void OnnxRuntimeRunsTheInt8ModelAndItAgreesWithFloat32()
    {
        var (config, floatModel, int8Model, test) = Shared.Value;
        using var float32 = OnnxRuntimeBackend.FromModel(floatModel, config, "float32");
        using var int8 = OnnxRuntimeBackend.FromModel(int8Model, config, "int8");
        Assert.False(float32.IsInt8);
        Assert.True(int8.IsInt8);
        Assert.Contains("int8 (minmax-calibrated, uint8 activations)", int8.Description);

        var input = test.SelectMany(i => i).ToArray();
        var a = float32.Run(input, test.Count);
        var b = int8.Run(input, test.Count);
        output.WriteLine($"scores: mean |Δ| {MeanAbsoluteDifference(a.Scores, b.Scores):G3}, max {MaxAbsoluteDifference(a.Scores, b.Scores):G3}; " +
                         $"box corners: mean |Δ| {MeanAbsoluteDifference(a.Boxes, b.Boxes):G3}, max {MaxAbsoluteDifference(a.Boxes, b.Boxes):G3}");
        // Measured with 8 calibration images (min-max): scores mean |Δ| 2e-5, largest 0.09; box corners mean 7e-4, largest 0.009.
        // Tolerances: scores on average to 1e-3 and everywhere to 0.3, box corners (normalised) on average to 5e-3.
        Assert.InRange(MeanAbsoluteDifference(a.Scores, b.Scores), 0, 1e-3);
        Assert.InRange(MaxAbsoluteDifference(a.Scores, b.Scores), 0, 0.3);
        Assert.InRange(MeanAbsoluteDifference(a.Boxes, b.Boxes), 0, 5e-3);
        // The confident detections (float score above 0.5) keep their class as the best object class of their box.
        int classes = config.NumClasses, confident = 0, same = 0;
        for (int p = 0; p < a.Scores.Length / classes; p++)
        {
            var fa = a.Scores.AsSpan(p * classes + 1, classes - 1);
            var fb = b.Scores.AsSpan(p * classes + 1, classes - 1);
            int best = fa.IndexOf(MaxOf(fa));
            if (fa[best] < 0.5) continue;
            confident++;
            if (fb.IndexOf(MaxOf(fb)) == best) same++;
        }
        Assert.True(confident > 0, "the float model is confident somewhere on the test images");
        output.WriteLine($"{same} of {confident} confident boxes keep their class");
        Assert.True(same >= 0.95 * confident, $"{same} of {confident} confident boxes keep their class");
    }

    [Fact]
    public void KeepFloatLeavesTheNamedConvolutionsInFloatAndRefusesAMisspeltName()
    {
        var (config, stateDict) = ModelFile.Load(Bundled);
        var images = Shared.Value.Test;
        var kept = ModelProto.Parser.ParseFrom(OnnxQuantizer.Quantize(config, stateDict, images, new QuantizationOptions { KeepFloat = ["conf", "loc.0"] }));
        var floatConvs = kept.Graph.Node
            .Where(n => n.OpType == "Conv" && !kept.Graph.Node.Any(p => p.OpType == "DequantizeLinear" && p.Output[0] == n.Input[1]))
            .Select(n => n.Name).ToList();
        Assert.Equal([.. Enumerable.Range(0, 6).Select(k => $"conf.{k}"), "loc.0"], floatConvs.Order(StringComparer.Ordinal).ToList());

        var e = Assert.Throws<SsdInputException>(() => OnnxQuantizer.Quantize(config, stateDict, images, new QuantizationOptions { KeepFloat = ["conf", "lco"] }));
        Assert.StartsWith("keep-float 'lco': no convolution is named so or starts with 'lco.'; expected one of ", e.Message);
    }

    private static float MaxOf(ReadOnlySpan<float> values)
    {
        float max = float.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }

    private static double MeanAbsoluteDifference(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Average();

    private static double MaxAbsoluteDifference(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
}
