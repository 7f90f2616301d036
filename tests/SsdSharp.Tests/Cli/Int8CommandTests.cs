using SsdSharp.Data.Synthetic;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary><c>ssd export --quantize int8</c>, and the int8 model in <c>ssd info</c> and <c>ssd eval</c>.</summary>
public class Int8CommandTests
{
    private static readonly string Bundled = BundledDetector.ModelPath;

    [Fact]
    public void AnInt8ExportEvaluatesAndInfoSaysItIsInt8()
    {
        var root = Directory.CreateTempSubdirectory("ssd-int8-cli").FullName;
        var data = Path.Combine(root, "shapes");
        SyntheticDataset.Generate(data, new SyntheticDatasetOptions { Images = 30, Seed = 6 });
        var model = Path.Combine(root, "shapes.int8.onnx");

        var export = CliRunner.Run("export", "--weights", Bundled, "--output", model, "--quantize", "int8",
            "--calibration", $"VOC:{data}", "--calibration-images", "4", "--calibration-method", "percentile", "--seed", "3");
        Assert.True(export.ExitCode == 0, export.Stderr);
        // The terminal layer wraps long lines: compare with the whitespace folded.
        Assert.Contains("int8 (percentile calibration)", System.Text.RegularExpressions.Regex.Replace(export.Stderr, @"\s+", " "));

        var info = CliRunner.Run("info", "--weights", model);
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains("int8 (percentile-calibrated, uint8 activations)", info.Stdout);
        Assert.Contains("int8: this model is quantized", info.Stdout);

        var eval = CliRunner.Run("eval", "--data", $"VOC:{data}", "--split", "test", "--weights", model, "--format", "json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("\"voc07_mAP\"", eval.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--quantize", "int8" }, "--quantize int8: needs --calibration DATASET")]
    [InlineData(new[] { "--calibration", "VOC:nowhere" }, "--calibration: only with --quantize int8")]
    [InlineData(new[] { "--keep-float", "conf" }, "--keep-float: only with --quantize int8")]
    [InlineData(new[] { "--calibration-method", "minmax" }, "--calibration-method: only with --quantize int8")]
    [InlineData(new[] { "--quantize", "int8", "--calibration", "VOC:nowhere", "--seed", "-1" }, "--seed: must be at least 0, got -1")]
    // Before the calibration data is read (here it would be refused as missing): a misspelt layer was found only after it.
    [InlineData(new[] { "--quantize", "int8", "--calibration", "VOC:nowhere", "--keep-float", "lco" }, "keep-float 'lco': no convolution is named so")]
    public void CalibrationOptionsGoTogether(string[] options, string message)
    {
        var folder = Directory.CreateTempSubdirectory("ssd-int8-bad").FullName;
        var result = CliRunner.Run(["export", "--weights", Bundled, "--output", Path.Combine(folder, "m.onnx"), .. options]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Empty(Directory.GetFiles(folder));
    }
}
