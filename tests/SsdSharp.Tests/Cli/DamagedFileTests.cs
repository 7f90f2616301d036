using System.Buffers.Binary;
using System.Text;
using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Evaluation;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Tests.Training;
using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Cli;

/// <summary>
/// The damaged files of issue 9, part 2, through the executable (Fuzzing/InputLimitTests has each at the
/// library level): a safetensors header length of 2^63−1, invalid UTF-8 in a configuration, weights holding
/// NaN, detections of 1e300. Each is exit code 2 and one line naming the file and what is wrong; no input changes.
/// </summary>
public sealed class DamagedFileTests : IDisposable
{
    private static readonly string Image = Fixtures.ReferenceFile("image_11.png");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private void Refused(string file, string expected, params string[] args)
    {
        var hashes = FileHashes.Of(file, Image);
        CliAssert.OneLineError(CliRunner.Run(args), file, expected);
        hashes.AssertUnchanged();
    }

    [Fact]
    public void SafetensorsHeaderLengthOf2To63Minus1()
    {
        var weights = _temp.Path("w.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, long.MaxValue);
        File.WriteAllBytes(weights, bytes);
        Refused(weights, "header length 9223372036854775807 for 16 bytes", "detect", "--weights", weights, Image);
    }

    [Fact]
    public void ConfigWithInvalidUtf8()
    {
        var config = _temp.Path("config.json");
        SsdPresets.Voc300.Save(config);
        var bytes = File.ReadAllBytes(config);
        int at = Encoding.UTF8.GetString(bytes).IndexOf("aeroplane", StringComparison.Ordinal);
        (bytes[at], bytes[at + 1]) = (0xC3, 0x28);
        File.WriteAllBytes(config, bytes);
        Refused(config, $"not valid UTF-8 text at byte {at}", "summary", "--config", config);
    }

    [Fact]
    public void ModelWithNaNWeights()
    {
        var weights = _temp.Path("model.safetensors");
        using (var network = new SsdNetwork(TinyConfig.Create()))
        {
            using (no_grad()) network.state_dict()["extras.2.bias"][0] = float.NaN;
            NetworkFile.Save(network, weights);
        }
        Refused(weights, "NaN or infinite values in extras.2.bias", "detect", "--weights", weights, Image);
    }

    [Fact]
    public void DetectionsOf1e300()
    {
        var detections = _temp.Write("""[{"image": "030000", "detections": [{"label": "star", "score": 1e300, "box": [1, 2, 3, 4]}]}]""", "dets.json");
        Refused(detections, "item 0 (image '030000'), detection 0 has 'score' 1E+300", "eval", "--data", CaseA.VocSpec, "--detections", detections);
    }
}
