using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using SkiaSharp;
using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Training;
using SsdSharp.Training;
using SsdSharp.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>Small valid inputs of every format, made by the project's own writers where it has them, so that mutations start from what users have.</summary>
internal static class FuzzSeeds
{
    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Safetensors files of every dtype, including empty and scalar shapes and metadata.</summary>
    public static IReadOnlyList<byte[]> SafeTensorsFiles()
    {
        using var scope = NewDisposeScope();
        return
        [
            SafeTensorsBytes(new() { ["a"] = arange(6, float32).reshape(2, 3), ["b"] = arange(4, int64) }, new() { ["format"] = "pt" }),
            SafeTensorsBytes(new()
            {
                ["h"] = ones(3, float16), ["bf"] = ones(2, 2, bfloat16), ["u"] = arange(5, uint8), ["z"] = zeros(0, float32),
                ["s"] = tensor(1.5f), ["d"] = ones(1, 1, 2, float64), ["i"] = arange(3, int32), ["k"] = arange(2, int16),
                ["c"] = arange(2, int8), ["t"] = ones(2, @bool),
            }),
        ];
    }

    private static byte[] SafeTensorsBytes(Dictionary<string, Tensor> tensors, Dictionary<string, string>? metadata = null) =>
        ThroughFile(path => SafeTensors.Save(path, tensors.ToDictionary(kv => kv.Key, kv => HostTensors.FromTorch(kv.Value)), metadata));

    /// <summary>Model files of the tiny network, with and without batch norm.</summary>
    public static IReadOnlyList<byte[]> ModelFiles() =>
    [
        ModelBytes(TinyConfig.Create()),
        ModelBytes(TinyConfig.Create(["x"]) with { BatchNorm = true }),
    ];

    private static byte[] ModelBytes(SsdConfig config)
    {
        using var network = new SsdNetwork(config);
        return ThroughFile(path => NetworkFile.Save(network, path));
    }

    /// <summary>PyTorch state-dict checkpoints (zip with a pickle), as TorchSharp.PyBridge writes them.</summary>
    public static IReadOnlyList<byte[]> PyTorchFiles()
    {
        using var scope = NewDisposeScope();
        using var network = new SsdNetwork(TinyConfig.Create());
        var small = new Dictionary<string, Tensor> { ["vgg.0.weight"] = ones(2, 3, float16), ["vgg.0.bias"] = arange(2, int64), ["L2Norm.weight"] = tensor(20f) };
        return [PyTorchBytes(small), PyTorchBytes(network.state_dict().Take(6).ToDictionary())];
    }

    private static byte[] PyTorchBytes(Dictionary<string, Tensor> stateDict)
    {
        using var stream = new MemoryStream();
        PyTorchPickler.PickleStateDict(stream, stateDict, leaveOpen: true);
        return stream.ToArray();
    }

    /// <summary>The zip entries of a PyTorch checkpoint, by name.</summary>
    public static Dictionary<string, byte[]> ZipEntries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var data = e.Open();
            using var copy = new MemoryStream();
            data.CopyTo(copy);
            return copy.ToArray();
        });
    }

    /// <summary>A zip of stored (uncompressed) entries, as <c>torch.save</c> writes them.</summary>
    public static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(bytes);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Configurations: presets, the tiny network, and one with comments and trailing commas.</summary>
    public static IReadOnlyList<byte[]> Configs() =>
    [
        Text(TinyConfig.Create().ToJson()),
        Text(SsdPresets.Voc300.ToJson()),
        Text(SsdPresets.Shapes300.ToJson()),
        Text(TinyConfig.Create().ToJson().Replace("\"name\"", "// a comment\n  \"name\"").Replace("]", ",]")),
    ];

    /// <summary>A training checkpoint sidecar as <see cref="TrainingCheckpoint"/> writes it, naming <paramref name="file"/>.</summary>
    public static byte[] Sidecar(string file) => Text(new JsonObject
    {
        ["format"] = "ssdsharp-training-checkpoint/1",
        ["iteration"] = 10,
        ["file"] = file,
        ["elapsed_seconds"] = 1.25,
        ["created"] = "2025-01-01T00:00:00.0000000+00:00",
        ["config"] = JsonNode.Parse(TinyConfig.Create().ToJson()),
        ["options"] = JsonNode.Parse(new TrainingOptions { Iterations = 20, CheckpointEvery = 10 }.ToJson()),
    }.ToJsonString());

    /// <summary>VOC annotations: objects with and without <c>difficult</c>, a missing size, a truncated flag and pose.</summary>
    public static IReadOnlyList<byte[]> VocAnnotations() =>
    [
        Text("<annotation><folder>VOC2007</folder><filename>000001.jpg</filename><size><width>32</width><height>24</height><depth>3</depth></size>"
             + "<object><name>dog</name><pose>Left</pose><truncated>1</truncated><difficult>0</difficult><bndbox><xmin>2</xmin><ymin>3</ymin><xmax>20</xmax><ymax>22</ymax></bndbox></object>"
             + "<object><name>cat</name><difficult>1</difficult><bndbox><xmin>10.5</xmin><ymin>1</ymin><xmax>32</xmax><ymax>24</ymax></bndbox></object></annotation>"),
        Text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotation>\n  <filename>000001.jpg</filename>\n  <object>\n    <name>dog</name>\n    <bndbox>\n      <xmin>1</xmin>\n      <ymin>1</ymin>\n      <xmax>40</xmax>\n      <ymax>30</ymax>\n    </bndbox>\n  </object>\n</annotation>\n"),
    ];

    /// <summary>Small COCO annotation files: crowd objects, areas, sparse category ids, an image without objects.</summary>
    public static IReadOnlyList<byte[]> CocoFiles() =>
    [
        Text("""
             {"images": [{"id": 1, "file_name": "a.jpg", "width": 32, "height": 24}, {"id": 7, "file_name": "b.jpg", "width": 16, "height": 16}, {"id": 8, "file_name": "a.jpg"}],
              "annotations": [{"id": 1, "image_id": 1, "category_id": 3, "bbox": [1, 2, 10, 12], "area": 120, "iscrowd": 0},
                              {"id": 2, "image_id": 1, "category_id": 5, "bbox": [0.5, 0.5, 31, 20.25], "iscrowd": 1},
                              {"id": 3, "image_id": 7, "category_id": 3, "bbox": [4, 4, 30, 30]}],
              "categories": [{"id": 3, "name": "dog"}, {"id": 5, "name": "cat", "supercategory": "animal"}]}
             """),
        Text("""{"images": [{"id": 2, "file_name": "b.jpg", "width": 16, "height": 16}], "annotations": [], "categories": [{"id": 1, "name": "x"}],}"""),
    ];

    /// <summary>Images of every decoded format: PNG, JPEG (one with an EXIF rotation), WebP, BMP and GIF.</summary>
    public static IReadOnlyList<byte[]> Images()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(16, 12, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(new SKColor(200, 40, 40));
        using var image = SKImage.FromBitmap(bitmap);
        byte[] Encode(SKEncodedImageFormat format)
        {
            using var data = image.Encode(format, 90);
            return data.ToArray();
        }
        var jpeg = Encode(SKEncodedImageFormat.Jpeg);
        return [Encode(SKEncodedImageFormat.Png), jpeg, WithExifOrientation(jpeg, 6), Encode(SKEncodedImageFormat.Webp), Bmp(3, 2), Gif];
    }

    /// <summary>A JPEG with an APP1 Exif segment whose one IFD entry is the orientation.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, byte orientation)
    {
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        return [.. jpeg.AsSpan(0, 2), .. exif, .. jpeg.AsSpan(2)];
    }

    /// <summary>A 24-bit bottom-up BMP with rows padded to 4 bytes.</summary>
    private static byte[] Bmp(int width, int height)
    {
        int row = (width * 3 + 3) / 4 * 4, size = 54 + row * height;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)'B');
        writer.Write((byte)'M');
        writer.Write(size);
        writer.Write(0);
        writer.Write(54);
        writer.Write(40);
        writer.Write(width);
        writer.Write(height);
        writer.Write((short)1);
        writer.Write((short)24);
        writer.Write(0);
        writer.Write(row * height);
        writer.Write(2835);
        writer.Write(2835);
        writer.Write(0);
        writer.Write(0);
        for (int i = 0; i < row * height; i++) writer.Write((byte)(i * 37));
        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>The classic 1×1 two-colour GIF89a.</summary>
    private static readonly byte[] Gif =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
        0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    /// <summary>Writes a small JPEG of the given size.</summary>
    public static void WriteJpeg(string path, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Gray);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>What a writer that takes a path writes, as bytes.</summary>
    private static byte[] ThroughFile(Action<string> write)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ssd-fuzz-seed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "seed");
            write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
