using Microsoft.ML.OnnxRuntime;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.Onnx;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Onnx;

/// <summary>The fixture checkpoint exported to ONNX and run on ONNX Runtime, against the reference's outputs and the libtorch backend.</summary>
[Collection(ReferenceModelCollection.Name)]
public class ExportedReferenceTests(ReferenceModel reference)
{
    private static readonly DetectionOptions KeepAll = new() { MaxDetections = null };
    private static readonly Lock Gate = new();
    private static byte[]? _model;

    /// <summary>The fixture checkpoint (imported through ReferenceWeights) as ONNX, exported once for the class.</summary>
    private byte[] Model()
    {
        lock (Gate) return _model ??= OnnxExporter.Export(SsdPresets.Voc300, HostTensors.StateDictOf(reference.Network), source: "fixture checkpoint");
    }

    [Fact]
    public void OnnxRuntimeReproducesTheReferenceDecodedBoxesAndScores()
    {
        var outputs = SafeTensors.Load(Fixtures.ReferenceFile("ssd300_voc300_seed0_image11_outputs.safetensors")).Tensors;
        using var backend = OnnxRuntimeBackend.FromModel(Model(), SsdPresets.Voc300, "fixture");
        var predictions = backend.Run(outputs["input"].ToFloat32(), 1);

        // The reference's raw outputs decoded with its own priors (SPEC §3) and passed through softmax.
        var expected = new RawPredictions(1, outputs["loc"].ToFloat32(), outputs["conf"].ToFloat32()).Decode(DefaultBoxes.For(SsdPresets.Voc300));
        ArrayAssert.Close(DefaultBoxes.For(SsdPresets.Voc300).CenterForm, outputs["priors"].ToFloat32(), 0, 1e-6, "priors");
        ArrayAssert.Close(expected.Boxes, predictions.Boxes, rtol: 1e-4, atol: 1e-4, "boxes");
        ArrayAssert.Close(expected.Scores, predictions.Scores, rtol: 1e-4, atol: 1e-4, "scores");
    }

    [Fact]
    public void RawOutputsEqualTheLibTorchBackendsWithin1e4()
    {
        var input = reference.Detector.Preprocess([RgbImage.Decode(Fixtures.ReferenceFile("image_11.png"))]);
        using var backend = OnnxRuntimeBackend.FromModel(Model(), SsdPresets.Voc300, "fixture");
        var ours = backend.Run(input, 1);
        var libTorch = reference.Detector.Backend.Run(input, 1);
        ArrayAssert.Close(libTorch.Boxes, ours.Boxes, rtol: 1e-4, atol: 1e-5, "boxes");
        ArrayAssert.Close(libTorch.Scores, ours.Scores, rtol: 1e-4, atol: 1e-5, "scores");
    }

    [Fact]
    public void DetectionsOfTheOnnxRuntimeBackendMatchLibTorchs()
    {
        var image = RgbImage.Decode(Fixtures.ReferenceFile("image_11.png"));
        using var detector = new SsdDetector(OnnxRuntimeBackend.FromModel(Model(), SsdPresets.Voc300, "fixture"), new DetectorOptions { Detection = KeepAll });
        var ours = detector.Detect([image], ["image_11"])[0].Detections;
        var libTorch = reference.Detector.Detect([image], ["image_11"])[0].Detections;
        Assert.InRange(libTorch.Count, 1500, 2500);
        ReferenceDetections.AssertMatch(Normalised(libTorch), Normalised(ours), KeepAll.ConfidenceThreshold);
    }

    [Fact]
    public void WithNmsTheGraphReturnsTheHostPostProcessingsDetections()
    {
        var model = OnnxExporter.Export(SsdPresets.Voc300, HostTensors.StateDictOf(reference.Network),
            new OnnxExportOptions { WithNms = true, PostProcessing = KeepAll });
        var input = SafeTensors.Load(Fixtures.ReferenceFile("ssd300_voc300_seed0_image11_outputs.safetensors")).Tensors["input"].ToFloat32();
        // The same image twice: the graph's rows carry the image index.
        var batch = input.Concat(input).ToArray();
        using var session = new InferenceSession(model);
        using var images = OrtValue.CreateTensorValueFromMemory(batch, [2, 3, 300, 300]);
        using var results = session.Run(new RunOptions(), ["images"], [images], ["scores", "boxes", "detections"]);
        var rows = results[2].GetTensorDataAsSpan<float>().ToArray();
        var predictions = new NetworkPredictions(2, 8732, 21, results[1].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorDataAsSpan<float>().ToArray());
        var expected = PostProcessor.Run(predictions, KeepAll);
        for (int n = 0; n < 2; n++)
        {
            var graph = Enumerable.Range(0, rows.Length / 7).Select(r => rows.AsSpan(r * 7, 7).ToArray()).Where(r => r[0] == n)
                .Select(r => new NormalizedDetection((int)r[1], r[2], r[3], r[4], r[5], r[6])).ToList();
            Assert.Equal(expected[n].Length, graph.Count);
            ReferenceDetections.AssertMatch(expected[n], graph, KeepAll.ConfidenceThreshold, tolerance: 1e-6);
        }
    }

    private static List<NormalizedDetection> Normalised(IReadOnlyList<Detection> detections) =>
        detections.Select(d => new NormalizedDetection(d.ClassId, d.Score, d.Box.X1 / 300, d.Box.Y1 / 300, d.Box.X2 / 300, d.Box.Y2 / 300)).ToList();
}
