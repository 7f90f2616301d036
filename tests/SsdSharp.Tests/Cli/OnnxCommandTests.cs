using System.Text.Json;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary><c>ssd export</c>, <c>ssd info</c>, and <c>--backend</c>/<c>--dtype</c> on <c>detect</c> and <c>eval</c>.</summary>
public class OnnxCommandTests
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private static readonly string Bundled = BundledDetector.ModelPath;

    [Fact]
    public void ExportedModelDetectsWhatTheLibTorchBackendDetects()
    {
        var onnx = Path.Combine(Directory.CreateTempSubdirectory("ssd-export").FullName, "shapes.onnx");
        var export = CliRunner.Run("export", "--weights", Bundled, "--output", onnx);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("wrote ", export.Stderr);

        var ort = CliRunner.Run("detect", "--weights", onnx, "--max-detections", "0", Image);
        var libTorch = CliRunner.Run("detect", "--weights", Bundled, "--backend", "libtorch", "--max-detections", "0", Image);
        Assert.True(ort.ExitCode == 0, ort.Stderr);
        Assert.True(libTorch.ExitCode == 0, libTorch.Stderr);
        var a = Detections(ort.Stdout);
        var b = Detections(libTorch.Stdout);
        Assert.NotEmpty(b);
        Assert.Equal(b.Count, a.Count);
        // Same classes in the same order; scores to 1e-4 and boxes (pixels, rounded to 0.01) to 0.05 px.
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(b[i].Label, a[i].Label);
            Assert.Equal(b[i].Score, a[i].Score, 1e-4);
            for (int k = 0; k < 4; k++) Assert.Equal(b[i].Box[k], a[i].Box[k], 0.05);
        }
    }

    [Fact]
    public void AnOnnxModelWithDamagedWeightsIsNamedNotWrittenOut()
    {
        var folder = Directory.CreateTempSubdirectory("ssd-nan-onnx").FullName;
        var onnx = DamagedOnnx(folder);
        var output = Path.Combine(folder, "detections.json");
        var detect = CliRunner.Run("detect", "--weights", onnx, "--output", output, Image);
        Assert.Equal(2, detect.ExitCode);
        Assert.Equal($"ssd: error: {onnx}: the model computes NaN or infinite values; its weights are damaged", detect.Stderr.Trim());
        Assert.False(File.Exists(output));
    }

    /// <summary>
    /// The bundled model exported to <c>FOLDER/damaged.onnx</c> with one convolution's weights NaN. SsdSharp reads a model
    /// file's weights and refuses NaN ones; an .onnx file's weights only ONNX Runtime reads.
    /// </summary>
    internal static string DamagedOnnx(string folder)
    {
        var onnx = Path.Combine(folder, "damaged.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--weights", Bundled, "--output", onnx).ExitCode);
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        var weight = model.Graph.Initializer.First(t => t.Name.StartsWith("conf.", StringComparison.Ordinal) && t.DataType == (int)global::Onnx.TensorProto.Types.DataType.Float && t.Dims.Count == 4);
        var nan = new byte[weight.RawData.Length];
        for (int i = 0; i < nan.Length; i += 4) BitConverter.TryWriteBytes(nan.AsSpan(i), float.NaN);
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(nan);
        File.WriteAllBytes(onnx, Google.Protobuf.MessageExtensions.ToByteArray(model));
        return onnx;
    }

    [Theory]
    [InlineData("--backend", "libtorch", "an ONNX model runs on ONNX Runtime; --backend libtorch does not go with it")]
    [InlineData("--dtype", "float32", "an ONNX model runs as exported; --dtype float32 does not go with it (leave --dtype auto)")]
    [InlineData("--channels-last", null, "an ONNX model runs on ONNX Runtime; --channels-last does not go with it")]
    public void OnnxWeightsConflictsAreNamed(string option, string? value, string message)
    {
        var onnx = Path.Combine(Directory.CreateTempSubdirectory("ssd-conflict").FullName, "model.onnx");
        File.WriteAllText(onnx, "never read: the conflict is found first");
        string[] args = value is null ? ["detect", "--weights", onnx, option, Image] : ["detect", "--weights", onnx, option, value, Image];
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"ssd: error: --weights {onnx}: {message}", result.Stderr.Trim());
    }

    [Fact]
    public void OnnxRuntimeWithBFloat16IsAConflict()
    {
        var result = CliRunner.Run("detect", "--backend", "onnxruntime", "--dtype", "bfloat16", Image);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("ssd: error: --backend onnxruntime computes in float32; --dtype bfloat16 needs --backend libtorch or auto", result.Stderr.Trim());
    }

    [Fact]
    public void ExportRefusesAnOpsetOutOfRangeAndANonOnnxOutput()
    {
        var folder = Directory.CreateTempSubdirectory("ssd-export-bad").FullName;
        var opset = CliRunner.Run("export", "--weights", Bundled, "--output", Path.Combine(folder, "m.onnx"), "--opset", "9");
        Assert.Equal(2, opset.ExitCode);
        Assert.Contains("--opset: must be in [13, 21], got 9", opset.Stderr);
        var output = CliRunner.Run("export", "--weights", Bundled, "--output", Path.Combine(folder, "m.safetensors"));
        Assert.Equal(2, output.ExitCode);
        Assert.Contains("expected a file name ending in .onnx", output.Stderr);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void InfoPrintsTheMachineAndTheAutoChoiceWithItsTime()
    {
        var result = CliRunner.Run("info");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("CPU: ", result.Stdout);
        Assert.Contains("native bfloat16: ", result.Stdout);
        Assert.Matches(@"libtorch \d+\.\d+", result.Stdout);
        Assert.Matches(@"ONNX Runtime 1\.\d+\.\d+", result.Stdout);
        Assert.Contains("CUDA: ", result.Stdout);
        Assert.Matches(@"auto for shapes300\.safetensors: .+, [\d.]+ ms per forward pass at batch 1", result.Stdout);
    }

    private static List<(string Label, double Score, double[] Box)> Detections(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement[0].GetProperty("detections").EnumerateArray()
            .Select(d => (d.GetProperty("label").GetString()!, d.GetProperty("score").GetDouble(), d.GetProperty("box").EnumerateArray().Select(v => v.GetDouble()).ToArray()))
            .ToList();
    }
}
