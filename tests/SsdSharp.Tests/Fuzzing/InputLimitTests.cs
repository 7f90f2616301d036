using System.Buffers.Binary;
using System.Text;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Imaging;
using SsdSharp.Modeling;
using SsdSharp.Tests.Evaluation;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Tests.Training;
using SsdSharp.Training;
using SsdSharp.Weights;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// The limits of issue 9 at the library level: every absurd declared size, damaged encoding and
/// non-finite value is refused with one line naming the input, before anything large is allocated.
/// </summary>
[Collection(PixelLimitCollection.Name)]
public sealed class InputLimitTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ssd-limits-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private static void AssertOneLineNaming(string path, Exception e)
    {
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    // Images: the size is read from the header and refused before a pixel is allocated.

    [Fact]
    public void PngDeclaringTenGigapixelsIsRefusedNamingTheFileAndTheLimit()
    {
        var path = Write("huge.png", HostileImages.PngDeclaring(100_000, 100_000));
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        AssertOneLineNaming(path, e);
        Assert.Contains("100000×100000", e.Message);
        Assert.Contains("limit of 64 megapixels", e.Message);
        AssertOneLineNaming(path, Assert.Throws<ImageDecodeException>(() => ImageDecoder.ReadSize(path)));
    }

    [Fact]
    public void JpegClaiming65000By65000IsRefused()
    {
        var path = Write("huge.jpg", HostileImages.JpegClaiming(65_000, 65_000));
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        AssertOneLineNaming(path, e);
        Assert.Contains("65000×65000", e.Message);
    }

    [Fact]
    public void RaisingThePixelLimitLetsALargeHeaderBeRead()
    {
        var path = Write("large.png", HostileImages.PngDeclaring(25_000, 25_000));
        // Raising it cannot break a test running beside this one; lowering it could.
        ImageDecoder.MaxPixels = 25_000L * 25_000;
        try
        {
            Assert.Equal((25_000, 25_000), ImageDecoder.ReadSize(path));
        }
        finally
        {
            ImageDecoder.MaxPixels = ImageDecoder.DefaultMaxPixels;
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.MaxPixels = 0);
    }

    [Fact]
    public void ImageAtTheLimitIsDecoded()
    {
        using var decoded = ImageDecoder.Decode(new MemoryStream(HostileImages.JpegClaiming(16, 12)), "small.jpg");
        Assert.Equal(16, decoded.Width);
    }

    // Safetensors: every declared length is checked against the file.

    [Fact]
    public void SafetensorsHeaderLengthOf2To63Minus1IsRefused()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, long.MaxValue);
        var e = Assert.Throws<WeightsException>(() => SafeTensors.Load(bytes, "w.safetensors"));
        Assert.Contains("w.safetensors", e.Message);
        Assert.Contains("header length 9223372036854775807 for 16 bytes", e.Message);
    }

    [Theory]
    [InlineData("""{"a": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}}""", "too large")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [-1, 4], "data_offsets": [0, 0]}}""", "non-negative integer")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [2], "data_offsets": [9223372036854775800, 9223372036854775807]}}""", "do not fit")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}""", "do not fit")]
    [InlineData("""{"a": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}}""", "dtype Q4")]
    [InlineData("""{"a": [1, 2]}""", "is a JSON Array")]
    [InlineData("""{"__metadata__": {"k": 1}}""", "'k' is a JSON Number")]
    [InlineData("""{"a": {"dtype": "U8", "shape": [0], "data_offsets": [0, 0]}, "a": {"dtype": "U8", "shape": [0], "data_offsets": [0, 0]}}""", "appears twice")]
    public void SafetensorsDeclaringWhatTheDataCannotHoldIsRefusedNamingTheTensor(string header, string expected)
    {
        var e = Assert.Throws<WeightsException>(() => SafeTensors.Load(SafeTensorsBytes(Encoding.UTF8.GetBytes(header), dataBytes: 8), "w.safetensors"));
        Assert.Contains("w.safetensors", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void SafetensorsHeaderOfAFileIsReadWithoutItsTensorsAndBounded()
    {
        var work = Directory.CreateTempSubdirectory("ssd-safetensors-").FullName;
        try
        {
            var file = Path.Combine(work, "w.safetensors");
            File.WriteAllBytes(file, SafeTensorsBytes("""{"__metadata__": {"format": "x/1"}, "a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}}"""u8.ToArray(), dataBytes: 4));
            Assert.Equal(new Dictionary<string, string> { ["format"] = "x/1" }, SafeTensors.Metadata(file));

            // A sparse file of 200 MB declaring a header of 150 MB: refused from the declaration, nothing allocated for it.
            using (var stream = File.Create(file))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(prefix, 150_000_000);
                stream.Write(prefix);
                stream.SetLength(200_000_000);
            }
            var e = Assert.Throws<WeightsException>(() => SafeTensors.Metadata(file));
            Assert.Contains(file, e.Message);
            Assert.Contains("header of 150000000 bytes declared, more than the format's limit of 100000000", e.Message);
            // Bytes already in memory are held to the same bound before their header is parsed.
            var bytes = new byte[100_000_016];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, 100_000_001);
            Assert.Contains("header of 100000001 bytes declared, more than the format's limit", Assert.Throws<WeightsException>(() => SafeTensors.Load(bytes, "in memory")).Message);

            File.WriteAllBytes(file, [1, 0, 0]);
            Assert.Contains("too short", Assert.Throws<WeightsException>(() => SafeTensors.Metadata(file)).Message);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void SafetensorsHeaderWithInvalidUtf8IsRefused()
    {
        byte[] header = [.. "{\"a"u8, 0xC3, 0x28, .. "\": {}}"u8];
        var e = Assert.Throws<WeightsException>(() => SafeTensors.Load(SafeTensorsBytes(header, 0), "w.safetensors"));
        Assert.Contains("not valid UTF-8", e.Message);
    }

    private static byte[] SafeTensorsBytes(byte[] header, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    // PyTorch checkpoints: the pickle's declared lengths are checked before the unpickler allocates them.

    [Fact]
    public void PickleDeclaringATwoGigabyteStringIsRefusedBeforeItIsAllocated()
    {
        // PROTO 2, then BINUNICODE of 2^31 - 1 bytes with 3 present, then STOP.
        byte[] pickle = [0x80, 0x02, (byte)'X', 0xFF, 0xFF, 0xFF, 0x7F, (byte)'a', (byte)'b', (byte)'c', (byte)'.'];
        var path = Write("w.pth", FuzzSeeds.Zip([KeyValuePair.Create("archive/data.pkl", pickle), KeyValuePair.Create("archive/version", "3\n"u8.ToArray())]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<WeightsException>(() => PyTorchCheckpoint.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "the declared length must not be allocated");
        AssertOneLineNaming(path, e);
        Assert.Contains("declares 2147483651 bytes", e.Message);
    }

    [Fact]
    public void LegacyOrForeignFileIsNotTakenForACheckpoint()
    {
        var path = Write("w.pth", [0x80, 0x02, (byte)'}', (byte)'.']);
        var e = Assert.Throws<WeightsException>(() => PyTorchCheckpoint.Load(path));
        AssertOneLineNaming(path, e);
        Assert.Contains("not a zip file", e.Message);
    }

    // Invalid UTF-8 in JSON and text inputs names the file and the byte.

    private static byte[] WithInvalidUtf8(string json, string marker)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        int at = json.IndexOf(marker, StringComparison.Ordinal);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        return bytes;
    }

    [Fact]
    public void ConfigWithInvalidUtf8IsRefusedNamingTheByte()
    {
        var json = TinyConfig.Create(["ab", "cd"]).ToJson();
        var path = Write("config.json", WithInvalidUtf8(json, "cd"));
        var e = Assert.Throws<SsdInputException>(() => SsdConfig.Load(path));
        AssertOneLineNaming(path, e);
        Assert.Contains($"not valid UTF-8 text at byte {json.IndexOf("cd", StringComparison.Ordinal)}", e.Message);
    }

    [Fact]
    public void CocoFileWithInvalidUtf8IsRefused()
    {
        var path = Write("instances.json", WithInvalidUtf8("""{"images": [], "categories": [{"id": 1, "name": "xy"}]}""", "xy"));
        AssertOneLineNaming(path, Assert.Throws<SsdInputException>(() => CocoReader.Read(path, null, DatasetReadOptions.ForEvaluation(null))));
    }

    [Fact]
    public void DetectionsFileWithInvalidUtf8IsRefused()
    {
        var path = Write("dets.json", WithInvalidUtf8("""[{"image": "030000", "detections": [{"label": "zz", "score": 0.5, "box": [1, 2, 3, 4]}]}]""", "zz"));
        AssertOneLineNaming(path, Assert.Throws<SsdInputException>(() => DetectionFileReader.Read(path, CaseA.Voc())));
    }

    [Fact]
    public void SplitFileWithInvalidUtf8IsRefused()
    {
        var root = Path.Combine(_work, "voc");
        Directory.CreateDirectory(Path.Combine(root, "ImageSets", "Main"));
        var split = Path.Combine(root, "ImageSets", "Main", "trainval.txt");
        File.WriteAllBytes(split, WithInvalidUtf8("000001\nxy\n", "xy"));
        AssertOneLineNaming(split, Assert.Throws<SsdInputException>(() => VocReader.Read([root], DatasetReadOptions.ForTraining(null))));
    }

    [Fact]
    public void CheckpointSidecarWithInvalidUtf8IsRefused()
    {
        var sidecar = Write(TrainingCheckpoint.SidecarName, WithInvalidUtf8(Encoding.UTF8.GetString(FuzzSeeds.Sidecar("x.safetensors")), "ssdsharp"));
        AssertOneLineNaming(sidecar, Assert.Throws<SsdInputException>(() => TrainingCheckpoint.Read(_work)));
    }

    [Fact]
    public void LoneSurrogateEscapeIsAnInputErrorNotAnInvalidOperation()
    {
        var path = Write("dets.json", """[{"image": "030000", "detections": [{"label": "\ud800", "score": 0.5, "box": [1, 2, 3, 4]}]}]""");
        var e = Assert.Throws<SsdInputException>(() => DetectionFileReader.Read(path, CaseA.Voc()));
        AssertOneLineNaming(path, e);
        Assert.Contains("lone UTF-16 surrogate", e.Message);
    }

    // Configurations: absurd sizes are refused naming the field and the limit.

    [Theory]
    [InlineData("fc_channels", "16", "1000000000", "$.fc_channels: 1000000000 channels is above the limit of 8192")]
    [InlineData("input_size", "300", "1000000", "$.input_size: 1000000 pixels is above the limit of 2048")]
    [InlineData("out_channels", "8", "100000", "$.extras[0]: 100000 channels is above the limit of 8192")]
    [InlineData("kernel", "1", "1000", "$.extras[0]: kernel 1000, stride 1 and padding 0 must each be at most 64")]
    public void AbsurdConfigSizeIsRefusedNamingTheFieldAndTheLimit(string field, string value, string absurd, string expected)
    {
        var json = TinyConfig.Create().ToJson();
        var at = json.IndexOf($"\"{field}\": {value}", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{field} not in the tiny config");
        var path = Write("config.json", string.Concat(json.AsSpan(0, at), $"\"{field}\": {absurd}", json.AsSpan(at + field.Length + value.Length + 4)));
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.Load(path));
        AssertOneLineNaming(path, e);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void HundredMillionClassesAreRefusedBeforeTheirNamesAreMade()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SsdConfigException>(() => SsdPresets.Voc300.WithClassCount(100_000_000));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("classes: 100000000 classes is above the limit of 10000", e.Message);
    }

    [Fact]
    public void TooManyAspectRatiosOrLayersAreRefused()
    {
        var config = TinyConfig.Create();
        Assert.Contains("AspectRatios[0]: 17 ratios is above the limit of 16",
            Assert.Throws<SsdConfigException>(() => (config with { AspectRatios = [.. config.AspectRatios.Select((r, k) => k == 0 ? Enumerable.Range(2, 17).Select(x => (double)x).ToArray() : r)] }).Validate()).Message);
        Assert.Contains("BaseLayers: 65 layers is above the limit of 64",
            Assert.Throws<SsdConfigException>(() => (config with { BaseLayers = [.. Enumerable.Repeat(BaseLayer.Conv(8), 65)] }).Validate()).Message);
    }

    [Fact]
    public void NullListInConfigJsonIsAnInvalidJsonError()
    {
        var path = Write("config.json", TinyConfig.Create().ToJson().Replace("\"variances\": [", "\"variances\": null, \"x\": ["));
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.Load(path));
        Assert.Matches(@": \$\.variances \(line \d+, byte \d+\): expected a list$", e.Message);
    }

    [Fact]
    public void NullExtraLayerOrRatioListIsNamed()
    {
        var config = TinyConfig.Create();
        Assert.Contains("Extras[1]", Assert.Throws<SsdConfigException>(() => (config with { Extras = [config.Extras[0], null!, .. config.Extras.Skip(2)] }).Validate()).Message);
        Assert.Contains("AspectRatios[2]", Assert.Throws<SsdConfigException>(() => (config with { AspectRatios = [.. config.AspectRatios.Select((r, k) => k == 2 ? null! : r)] }).Validate()).Message);
    }

    // Weights: a model holding NaN or infinity is refused at load, naming the tensor.

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ModelWithNonFiniteWeightsIsRefusedNamingTheTensor(float value)
    {
        var path = Path.Combine(_work, "model.safetensors");
        using (var network = new SsdNetwork(TinyConfig.Create()))
        {
            using (no_grad()) network.state_dict()["extras.2.bias"][0] = value;
            NetworkFile.Save(network, path);
        }
        var e = Assert.Throws<WeightsException>(() => NetworkFile.Load(path));
        AssertOneLineNaming(path, e);
        Assert.Contains("NaN or infinite values in extras.2.bias", e.Message);
    }

    /// <summary>A negative running variance loaded without a word and made the network detect nothing.</summary>
    [Fact]
    public void ModelWithANegativeRunningVarianceIsRefusedNamingTheTensor()
    {
        var path = Path.Combine(_work, "model.safetensors");
        using (var network = new SsdNetwork(TinyConfig.Create()))
        {
            using (no_grad()) network.state_dict()["vgg.1.running_var"][2] = -0.5f;
            NetworkFile.Save(network, path);
        }
        var e = Assert.Throws<WeightsException>(() => NetworkFile.Load(path));
        AssertOneLineNaming(path, e);
        Assert.Contains("negative values in vgg.1.running_var; expected running variances ≥ 0", e.Message);
    }

    // Detections: values beyond single precision name the file and the entry.

    [Theory]
    [InlineData("""[{"image": "030000", "detections": [{"label": "star", "score": 1e300, "box": [1, 2, 3, 4]}]}]""", "item 0 (image '030000'), detection 0 has 'score' 1E+300")]
    [InlineData("""[{"image": "030000", "detections": [{"label": "star", "score": 0.5, "box": [1, 2, 1e300, 4]}]}]""", "item 0 (image '030000'), detection 0 has 'box' value 2 1E+300")]
    [InlineData("""[{"image_id": "030000", "category_id": 1, "score": 0.5, "bbox": [-1e300, 2, 3, 4]}]""", "item 0 (image_id \"030000\") has 'bbox' value 0 -1E+300")]
    public void DetectionValuesBeyondSinglePrecisionAreRefusedNamingTheEntry(string json, string expected)
    {
        var path = Write("dets.json", json);
        var e = Assert.Throws<SsdInputException>(() => DetectionFileReader.Read(path, CaseA.Voc()));
        AssertOneLineNaming(path, e);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("""[{"image_id": 1, "category_id": [5], "score": 0.5, "bbox": [1, 2, 3, 4]}]""", "has no integer 'category_id'")]
    [InlineData("""[{"image": "030000", "detections": [{"class_id": "3", "score": 0.5, "box": [1, 2, 3, 4]}]}]""", "has neither a 'label' string nor an integer 'class_id'")]
    public void DetectionIdsOfTheWrongJsonTypeAreRefusedNamingTheEntry(string json, string expected)
    {
        var path = Write("dets.json", json);
        var e = Assert.Throws<SsdInputException>(() => DetectionFileReader.Read(path, json.Contains("image_id") ? CaseA.Coco() : CaseA.Voc()));
        AssertOneLineNaming(path, e);
        Assert.Contains(expected, e.Message);
    }

    // Messages: one line, whatever they quote.

    [Fact]
    public void InputErrorMessagesAreOneBoundedLine()
    {
        Assert.Equal("a.json: bad token 'x y' here", new SsdInputException("a.json: bad token 'x\r\n   y' here").Message);
        var runaway = new SsdInputException("f: " + new string('z', 5000));
        Assert.Equal(SsdInputException.MaxMessageLength, runaway.Message.Length);
        Assert.EndsWith("…", runaway.Message);
    }
}
