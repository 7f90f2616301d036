using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte offsets (plus an optional <c>__metadata__</c> string map),
/// then the raw little-endian tensor data. Portable and free of code execution, unlike pickle.
/// </summary>
public static class SafeTensors
{
    private static readonly Dictionary<string, (ScalarType Type, int Size)> DTypes = new()
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    /// <summary>The tensors of a file (on the CPU, in their stored dtype) and its metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names it.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var bytes = File.ReadAllBytes(path);
        return Load(bytes, path);
    }

    /// <summary>Parses safetensors bytes; <paramref name="name"/> appears in error messages.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(byte[] bytes, string name)
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{name}: too short for a safetensors file");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength <= 0 || 8 + headerLength > bytes.Length)
            throw new InvalidDataException($"{name}: not a safetensors file (header length {headerLength} for {bytes.Length} bytes)");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))?.AsObject()
                ?? throw new InvalidDataException($"{name}: empty safetensors header");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: safetensors header is not valid JSON ({e.Message})");
        }
        long dataStart = 8 + headerLength;
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var (key, node) in header)
        {
            if (key == "__metadata__")
            {
                foreach (var (mk, mv) in node!.AsObject()) metadata[mk] = mv!.GetValue<string>();
                continue;
            }
            var entry = node!.AsObject();
            var dtypeName = entry["dtype"]!.GetValue<string>();
            if (!DTypes.TryGetValue(dtypeName, out var dtype))
                throw new InvalidDataException($"{name}: tensor '{key}' has unsupported dtype {dtypeName}");
            var shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = entry["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != count * dtype.Size || dataStart + offsets[1] > bytes.Length)
                throw new InvalidDataException($"{name}: tensor '{key}' has data offsets [{string.Join(", ", offsets)}] that do not fit shape [{string.Join(", ", shape)}] {dtypeName}");
            var t = empty(shape, dtype.Type);
            if (count > 0)
            {
                var span = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
                t.bytes = span;
            }
            tensors[key] = t;
        }
        return (tensors, metadata);
    }

    /// <summary>
    /// Writes tensors and metadata atomically: to a temporary file beside <paramref name="path"/>,
    /// then renamed over it, so that an interrupted write never leaves a broken file.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (key, tensor) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var cpu = tensor.detach().cpu().contiguous();
            var dtypeName = DTypes.First(d => d.Value.Type == cpu.dtype).Key;
            var data = cpu.bytes.ToArray();
            header[key] = new JsonObject
            {
                ["dtype"] = dtypeName,
                ["shape"] = new JsonArray(cpu.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + data.Length),
            };
            offset += data.Length;
            blobs.Add(data);
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces so that tensor data starts 8-byte aligned, as the format recommends.
        int padded = (headerBytes.Length + 7) / 8 * 8;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, padded);
            stream.Write(length);
            stream.Write(headerBytes);
            for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
