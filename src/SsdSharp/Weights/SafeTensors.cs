using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SsdSharp.IO;

namespace SsdSharp.Weights;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte offsets (plus an optional <c>__metadata__</c> string map),
/// then the raw little-endian tensor data. Portable and free of code execution, unlike pickle.
/// </summary>
public static class SafeTensors
{
    /// <summary>The tensors of a file (in their stored dtype) and its metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names it.</exception>
    public static (Dictionary<string, HostTensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var bytes = File.ReadAllBytes(path);
        return Load(bytes, path);
    }

    /// <summary>Parses safetensors bytes; <paramref name="name"/> appears in error messages.</summary>
    /// <exception cref="InvalidDataException">Not valid safetensors; the message names <paramref name="name"/>.</exception>
    public static (Dictionary<string, HostTensor> Tensors, Dictionary<string, string> Metadata) Load(byte[] bytes, string name)
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{name}: too short for a safetensors file");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength <= 0 || headerLength > bytes.Length - 8)
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
        var tensors = new Dictionary<string, HostTensor>();
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
            if (!Enum.GetNames<TensorDType>().Contains(dtypeName))
                throw new InvalidDataException($"{name}: tensor '{key}' has unsupported dtype {dtypeName}");
            var shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = entry["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var dtype = Enum.Parse<TensorDType>(dtypeName);
            long count;
            try
            {
                count = shape.Any(d => d < 0) ? -1 : shape.Aggregate(1L, (a, b) => checked(a * b));
            }
            catch (OverflowException)
            {
                count = -1;
            }
            if (count < 0 || offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != count * HostTensor.SizeOf(dtype)
                || offsets[1] > bytes.Length - dataStart)
                throw new InvalidDataException($"{name}: tensor '{key}' has data offsets [{string.Join(", ", offsets)}] that do not fit shape {HostTensor.FormatShape(shape)} {dtypeName}");
            tensors[key] = new HostTensor(dtype, shape, bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0])).ToArray());
        }
        return (tensors, metadata);
    }

    /// <summary>
    /// Writes tensors and metadata atomically: to a temporary file beside <paramref name="path"/>,
    /// then renamed over it, so that an interrupted write never leaves a broken file.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, HostTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var (key, tensor) in ordered)
        {
            header[key] = new JsonObject
            {
                ["dtype"] = tensor.DType.ToString(),
                ["shape"] = new JsonArray(tensor.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + tensor.Data.LongLength),
            };
            offset += tensor.Data.LongLength;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces so that tensor data starts 8-byte aligned, as the format recommends.
        int padded = (headerBytes.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, padded);
            stream.Write(length);
            stream.Write(headerBytes);
            for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in ordered) stream.Write(tensor.Data);
        });
    }
}
