using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// Every numeric option of every command refuses NaN, infinities and values outside its range when the
/// command line is parsed, and a command line that does not parse is one line with a pointer to --help:
/// exit code 2, nothing run, no input touched.
/// </summary>
public class OptionValueTests
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");

    // IMAGE stands for an existing image; each case gives the required options so that the value is the only error.
    [Theory]
    [InlineData("detect --conf-threshold nan IMAGE", "--conf-threshold: must be in [0, 1), got nan")]
    [InlineData("detect --conf-threshold Infinity IMAGE", "--conf-threshold: must be in [0, 1), got Infinity")]
    [InlineData("detect --conf-threshold 1 IMAGE", "--conf-threshold: must be in [0, 1), got 1")]
    [InlineData("detect --conf-threshold -0.1 IMAGE", "--conf-threshold: must be in [0, 1), got -0.1")]
    [InlineData("detect --nms-threshold NaN IMAGE", "--nms-threshold: must be in (0, 1], got NaN")]
    [InlineData("detect --nms-threshold 0 IMAGE", "--nms-threshold: must be in (0, 1], got 0")]
    [InlineData("detect --nms-threshold -Infinity IMAGE", "--nms-threshold: must be in (0, 1], got -Infinity")]
    [InlineData("detect --top-k 0 IMAGE", "--top-k: must be at least 1, got 0")]
    [InlineData("detect --top-k nan IMAGE", "--top-k: expected a whole number at least 1, got 'nan'")]
    [InlineData("detect --top-k 1.5 IMAGE", "--top-k: expected a whole number at least 1, got '1.5'")]
    [InlineData("detect --max-detections -3 IMAGE", "--max-detections: must be at least 0, got -3")]
    [InlineData("detect --max-detections 1e300 IMAGE", "--max-detections: expected a whole number at least 0, got '1e300'")]
    [InlineData("detect --draw-threshold NaN --draw /tmp/d IMAGE", "--draw-threshold: must be in [0, 1], got NaN")]
    [InlineData("detect --draw-threshold 1.5 --draw /tmp/d IMAGE", "--draw-threshold: must be in [0, 1], got 1.5")]
    [InlineData("detect --batch 0 IMAGE", "--batch: must be in [1, 256], got 0")]
    [InlineData("detect --tile 32 --overlap 0.99 IMAGE", "--overlap: must be in [0, 0.9], got 0.99")]
    [InlineData("detect --batch 100000 IMAGE", "--batch: must be in [1, 256], got 100000")]
    [InlineData("eval --data VOC:/nowhere --batch -1", "--batch: must be in [1, 256], got -1")]
    [InlineData("eval --data VOC:/nowhere --batch ∞", "--batch: expected a whole number in [1, 256], got '∞'")]
    [InlineData("train --data VOC:/nowhere --iterations 0", "--iterations: must be at least 1, got 0")]
    [InlineData("train --data VOC:/nowhere --iterations nan", "--iterations: expected a whole number at least 1, got 'nan'")]
    [InlineData("train --data VOC:/nowhere --batch 100000", "--batch: must be in [1, 256], got 100000")]
    [InlineData("train --data VOC:/nowhere --lr nan", "--lr: must be greater than 0, got nan")]
    [InlineData("train --data VOC:/nowhere --lr 0", "--lr: must be greater than 0, got 0")]
    [InlineData("train --data VOC:/nowhere --lr Infinity", "--lr: must be greater than 0, got Infinity")]
    [InlineData("train --data VOC:/nowhere --gamma 0", "--gamma: must be in (0, 1], got 0")]
    [InlineData("train --data VOC:/nowhere --gamma NaN", "--gamma: must be in (0, 1], got NaN")]
    [InlineData("train --data VOC:/nowhere --warmup -1", "--warmup: must be at least 0, got -1")]
    [InlineData("train --data VOC:/nowhere --clip NaN", "--clip: must be at least 0, got NaN")]
    [InlineData("train --data VOC:/nowhere --clip -1", "--clip: must be at least 0, got -1")]
    [InlineData("train --data VOC:/nowhere --workers 0", "--workers: must be in [1, 64], got 0")]
    [InlineData("train --data VOC:/nowhere --workers 1000", "--workers: must be in [1, 64], got 1000")]
    [InlineData("train --data VOC:/nowhere --seed -1", "--seed: must be at least 0, got -1")]
    [InlineData("train --data VOC:/nowhere --checkpoint-every 0", "--checkpoint-every: must be at least 1, got 0")]
    [InlineData("train --data VOC:/nowhere --eval-every -5", "--eval-every: must be at least 0, got -5")]
    [InlineData("synth --out /tmp/never --images 0", "--images: must be in [1, 1000000], got 0")]
    [InlineData("synth --out /tmp/never --images 1000001", "--images: must be in [1, 1000000], got 1000001")]
    [InlineData("synth --out /tmp/never --images 1 --seed -1", "--seed: must be at least 0, got -1")]
    [InlineData("synth --out /tmp/never --images 1 --difficult-below NaN", "--difficult-below: must be at least 0, got NaN")]
    [InlineData("synth --out /tmp/never --images 1 --difficult-below Infinity", "--difficult-below: must be at least 0, got Infinity")]
    [InlineData("dataset stats --data VOC:/nowhere --draw -1", "--draw: must be at least 0, got -1")]
    [InlineData("dataset stats --data VOC:/nowhere --draw nan", "--draw: expected a whole number at least 0, got 'nan'")]
    [InlineData("detect --max-megapixels 0 IMAGE", "--max-megapixels: must be in [1, 700], got 0")]
    [InlineData("eval --data VOC:/nowhere --max-megapixels 5000", "--max-megapixels: must be in [1, 700], got 5000")]
    [InlineData("train --data VOC:/nowhere --max-megapixels nan", "--max-megapixels: expected a whole number in [1, 700], got 'nan'")]
    [InlineData("dataset stats --data VOC:/nowhere --max-megapixels -1", "--max-megapixels: must be in [1, 700], got -1")]
    [InlineData("export --weights IMAGE --output /tmp/never.onnx --opset 12", "--opset: must be in [13, 21], got 12")]
    [InlineData("export --weights IMAGE --output /tmp/never.onnx --opset nan", "--opset: expected a whole number in [13, 21], got 'nan'")]
    [InlineData("summary --classes 0", "--classes: must be at least 1, got 0")]
    [InlineData("summary --classes NaN", "--classes: expected a whole number at least 1, got 'NaN'")]
    public void NumericOptionOutsideItsRangeIsRefusedNamingIt(string args, string message)
    {
        var hashes = FileHashes.Of(Image);
        var result = CliRunner.Run(args.Replace("IMAGE", Image).Split(' '));
        var command = args.StartsWith("dataset", StringComparison.Ordinal) ? "ssd dataset stats" : "ssd " + args.Split(' ')[0];
        CliAssert.OneLineError(result, message, $"see '{command} --help'");
        Assert.Empty(result.Stdout);
        hashes.AssertUnchanged();
        Assert.False(Directory.Exists("/tmp/never"));
    }

    [Fact]
    public void LearningRateStepsThatAreNoIterationsAreRefused()
    {
        var result = CliRunner.Run("train", "--data", "VOC:/nowhere", "--config", "shapes300", "--out", "/tmp/never", "--lr-steps", "100,nan");
        CliAssert.OneLineError(result, "--lr-steps: 'nan' is not an iteration number");
    }

    /// <summary>An empty item was dropped: <c>circle,,square</c> made square class 2 without a word.</summary>
    [Theory]
    [InlineData("--lr-steps '100,,200' has an empty item", "train", "--data", "VOC:/nowhere", "--config", "shapes300", "--out", "/tmp/never", "--lr-steps", "100,,200")]
    [InlineData("--classes 'circle,,square' has an empty item", "synth", "--out", "/tmp/never", "--images", "1", "--classes", "circle,,square")]
    [InlineData("--classes is empty: expected shape names", "synth", "--out", "/tmp/never", "--images", "1", "--classes", " ")]
    [InlineData("--classes 'circle,' has an empty item", "synth", "video", "--out", "/tmp/never.mp4", "--classes", "circle,")]
    [InlineData("--classes ',circle' has an empty item", "dataset", "stats", "--data", "VOC:/nowhere", "--classes", ",circle")]
    [InlineData("--keep-float 'conf,,loc' has an empty item", "export", "--weights", "IMAGE", "--output", "/tmp/never.onnx", "--quantize", "int8",
        "--calibration", "VOC:/nowhere", "--keep-float", "conf,,loc")]
    public void CommaSeparatedOptionWithAnEmptyItemIsRefused(string message, params string[] args)
    {
        var result = CliRunner.Run(args.Select(a => a.Replace("IMAGE", Image)).ToArray());
        CliAssert.OneLineError(result, message);
        Assert.Empty(result.Stdout);
        Assert.False(Directory.Exists("/tmp/never"));
        Assert.False(File.Exists("/tmp/never.mp4"));
    }

    [Theory]
    [InlineData("detect --frob", "unknown option '--frob'", "ssd detect --help")]
    [InlineData("train --data VOC:/nowhere --frob", "unknown option '--frob'", "ssd train --help")]
    [InlineData("dataset stats --data VOC:/nowhere --frob 3", "unknown option '--frob'", "ssd dataset stats --help")]
    [InlineData("detect IMAGE --batch", "'--batch'", "ssd detect --help")]
    [InlineData("eval --detections x.json", "'--data' is required", "ssd eval --help")]
    [InlineData("frob", "unknown command 'frob'", "ssd --help")]
    [InlineData("summary extra", "unexpected argument 'extra'", "ssd summary --help")]
    [InlineData("summary --format yaml", "yaml", "ssd summary --help")]
    public void ParseErrorIsOneLineWithAHintToHelp(string args, string message, string help)
    {
        var result = CliRunner.Run(args.Replace("IMAGE", Image).Split(' '));
        CliAssert.OneLineError(result, message, $"see '{help}'");
        Assert.Empty(result.Stdout);
    }
}
