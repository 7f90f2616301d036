using System.Text.Json;
using System.Text.Json.Nodes;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Imaging;
using SsdSharp.Tests.Evaluation;
using SsdSharp.Training;
using SsdSharp.Weights;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>Every parser of the library, as a fuzz target: each reads through its public (or internal) entry point, as the CLI does.</summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyList<FuzzTarget> All =
    [
        new("safetensors", FuzzSeeds.SafeTensorsFiles, _ => input =>
        {
            SafeTensors.Load(input, "fuzz.safetensors");
        }),
        // The header alone (what kind of file it is): never stricter than the whole read (a file the whole read takes is
        // never refused by its header), and the same metadata where both read it. It may be more lenient: it does not
        // see the tensors' data.
        new("safetensors-metadata", FuzzSeeds.SafeTensorsFiles, work => input =>
        {
            Dictionary<string, string> metadata;
            try
            {
                metadata = SafeTensors.Metadata(Write(work, "w.safetensors", input));
            }
            catch (WeightsException refused)
            {
                if (TryLoad(input) != null) throw new InvalidOperationException($"the header alone was refused ({refused.Message}) where the whole file reads");
                throw;
            }
            if (TryLoad(input) is not { } whole) return;
            if (!metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(whole.OrderBy(kv => kv.Key, StringComparer.Ordinal)))
                throw new InvalidOperationException("the header's metadata differs from the whole file's");
        }),
        new("model-file", FuzzSeeds.ModelFiles, work => input =>
        {
            var path = Write(work, "model.safetensors", input);
            using var network = NetworkFile.Load(path);
        }),
        new("pth", FuzzSeeds.PyTorchFiles, work => input => LoadPyTorch(Write(work, "weights.pth", input))),
        // The zip's checksums stop most byte mutations of a whole .pth; this target mutates the pickle inside a valid zip.
        new("pth-pickle", () => FuzzSeeds.PyTorchFiles().Select(f => PickleOf(FuzzSeeds.ZipEntries(f))).ToArray(), work =>
        {
            var entries = FuzzSeeds.ZipEntries(FuzzSeeds.PyTorchFiles()[1]);
            return input =>
            {
                var zip = FuzzSeeds.Zip(entries.Select(e => e.Key.EndsWith("data.pkl", StringComparison.Ordinal) ? KeyValuePair.Create(e.Key, input) : e));
                LoadPyTorch(Write(work, "weights.pth", zip));
            };
        }),
        new("config-json", FuzzSeeds.Configs, work => input => SsdConfig.Load(Write(work, "config.json", input))),
        new("checkpoint-sidecar", () => [FuzzSeeds.Sidecar(CheckpointFile)], work =>
        {
            File.WriteAllBytes(Path.Combine(work, CheckpointFile), []);
            return input =>
            {
                Write(work, TrainingCheckpoint.SidecarName, input);
                TrainingCheckpoint.Read(work);
            };
        }),
        new("voc-xml", FuzzSeeds.VocAnnotations, work =>
        {
            var root = VocRoot(work, "000001");
            return input =>
            {
                Write(Path.Combine(root, "Annotations"), "000001.xml", input);
                VocReader.Read([root], DatasetReadOptions.ForTraining(null));
            };
        }),
        new("voc-split", () => [FuzzSeeds.Text("000001\n000002\n000003\n"), FuzzSeeds.Text("000001  1\r\n000002 -1\r\n\r\n000003  0\r\n")], work =>
        {
            var root = VocRoot(work, "000001", "000002", "000003");
            var annotation = FuzzSeeds.VocAnnotations()[0];
            foreach (var id in new[] { "000001", "000002", "000003" }) Write(Path.Combine(root, "Annotations"), id + ".xml", annotation);
            return input =>
            {
                Write(Path.Combine(root, "ImageSets", "Main"), "trainval.txt", input);
                VocReader.Read([root], DatasetReadOptions.ForTraining(null));
            };
        }),
        new("coco-json", FuzzSeeds.CocoFiles, work =>
        {
            FuzzSeeds.WriteJpeg(Path.Combine(work, "a.jpg"), 32, 24);
            FuzzSeeds.WriteJpeg(Path.Combine(work, "b.jpg"), 16, 16);
            return input => CocoReader.Read(Write(work, "instances.json", input), null, DatasetReadOptions.ForEvaluation(null));
        }),
        new("detections-detect", () => [Items(CaseA.File("detections.json"), 0), Items(CaseA.File("detections.json"), 4)], work =>
        {
            var truth = CaseA.Voc();
            return input => DetectionFileReader.Read(Write(work, "detections.json", input), truth);
        }),
        new("detections-coco", () => [Items(CaseA.File("coco_results.json"), 0), Items(CaseA.File("coco_results.json"), 4)], work =>
        {
            var truth = CaseA.Coco();
            return input => DetectionFileReader.Read(Write(work, "results.json", input), truth);
        }),
        new("image-header", FuzzSeeds.Images, work => input => ImageDecoder.ReadSize(Write(work, "image", input))),
        new("image-decode", FuzzSeeds.Images, _ => input =>
        {
            using var bitmap = ImageDecoder.Decode(new MemoryStream(input), "fuzz-image");
        }),
    ];

    public static FuzzTarget Get(string name) => All.Single(t => t.Name == name);

    private const string CheckpointFile = "tiny300-iter0000010.safetensors";

    private static string Write(string directory, string name, byte[] input)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>The whole file's metadata; null when the whole read refuses it.</summary>
    private static Dictionary<string, string>? TryLoad(byte[] input)
    {
        try
        {
            return SafeTensors.Load(input, "fuzz.safetensors").Metadata;
        }
        catch (WeightsException)
        {
            return null;
        }
    }

    private static void LoadPyTorch(string path)
    {
        foreach (var t in PyTorchCheckpoint.Load(path).Values) t.Dispose();
    }

    private static byte[] PickleOf(Dictionary<string, byte[]> entries) =>
        entries.Single(e => e.Key.EndsWith("data.pkl", StringComparison.Ordinal)).Value;

    /// <summary>A VOC root whose split lists <paramref name="ids"/>, each with a small JPEG.</summary>
    private static string VocRoot(string work, params string[] ids)
    {
        var root = Path.Combine(work, "voc");
        foreach (var folder in new[] { "Annotations", "JPEGImages", Path.Combine("ImageSets", "Main") }) Directory.CreateDirectory(Path.Combine(root, folder));
        foreach (var id in ids) FuzzSeeds.WriteJpeg(Path.Combine(root, "JPEGImages", id + ".jpg"), 32, 24);
        File.WriteAllLines(Path.Combine(root, "ImageSets", "Main", "trainval.txt"), ids);
        return root;
    }

    /// <summary>Four items of a detections file from <paramref name="skip"/> on: small seeds mutate faster.</summary>
    private static byte[] Items(string path, int skip)
    {
        var items = JsonNode.Parse(File.ReadAllText(path))!.AsArray().Skip(skip).Take(4).Select(n => n!.DeepClone());
        return FuzzSeeds.Text(new JsonArray([.. items]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
