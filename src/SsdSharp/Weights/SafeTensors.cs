using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using SsdSharp.IO;

namespace SsdSharp.Weights;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte offsets (plus an optional <c>__metadata__</c> string map),
/// then the raw little-endian tensor data. Portable and free of code execution, unlike pickle.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const int MaxHeaderBytes = 100_000_000;

    /// <summary>The tensors of a file (in their stored dtype) and its metadata.</summary>
    /// <exception cref="WeightsException">The file is missing or not valid safetensors; the message names it.</exception>
    public static (Dictionary<string, HostTensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: file not found");
        var bytes = File.ReadAllBytes(path);
        return Load(bytes, path);
    }

    /// <summary>Parses safetensors bytes; <paramref name="name"/> appears in error messages.</summary>
    /// <exception cref="WeightsException">The bytes are not valid safetensors: every declared length, shape and offset is checked against the data before anything is allocated.</exception>
    public static (Dictionary<string, HostTensor> Tensors, Dictionary<string, string> Metadata) Load(byte[] bytes, string name)
    {
        if (bytes.Length < 8) throw new WeightsException($"{name}: too short for a safetensors file ({bytes.Length} bytes)");
        long headerLength = HeaderLength(BinaryPrimitives.ReadInt64LittleEndian(bytes), bytes.Length, name);
        using var header = ParseHeader(bytes.AsMemory(8, (int)headerLength), name);
        var data = bytes.AsMemory(8 + (int)headerLength);
        var tensors = new Dictionary<string, HostTensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var property in header.RootElement.EnumerateObject())
        {
            if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, name);
            else if (tensors.ContainsKey(property.Name)) throw new WeightsException($"{name}: tensor '{property.Name}' appears twice in the header");
            else tensors[property.Name] = ReadTensor(property.Name, property.Value, data.Span, name);
        }
        return (tensors, metadata);
    }

    /// <summary>The metadata of a file, from its header alone: what kind of file it is, without reading its tensors.</summary>
    /// <exception cref="WeightsException">The file is missing or its header is not valid safetensors; the message names it.</exception>
    public static Dictionary<string, string> Metadata(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: file not found");
        using var file = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8) throw new WeightsException($"{path}: too short for a safetensors file ({file.Length} bytes)");
        long headerLength = HeaderLength(BinaryPrimitives.ReadInt64LittleEndian(prefix), file.Length, path);
        var headerBytes = new byte[headerLength];
        file.ReadExactly(headerBytes);
        using var header = ParseHeader(headerBytes, path);
        var metadata = new Dictionary<string, string>();
        foreach (var property in header.RootElement.EnumerateObject())
        {
            if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
        }
        return metadata;
    }

    /// <summary>The declared header length, checked against the file's length and the format's bound before anything is allocated or parsed for it.</summary>
    private static long HeaderLength(long declared, long fileLength, string name)
    {
        // Compared without adding 8, which overflows for a declared length near 2^63.
        if (declared <= 0 || declared > fileLength - 8)
            throw new WeightsException($"{name}: not a safetensors file (header length {declared} for {fileLength} bytes)");
        // The format's own bound (the reference implementation refuses larger headers): a file of gigabytes declaring a header of
        // nearly its length is neither read into memory nor parsed to be refused.
        if (declared > MaxHeaderBytes)
            throw new WeightsException($"{name}: safetensors header of {declared} bytes declared, more than the format's limit of {MaxHeaderBytes}");
        return declared;
    }

    /// <summary>The JSON header: valid UTF-8 with valid strings, a JSON object.</summary>
    private static JsonDocument ParseHeader(ReadOnlyMemory<byte> headerBytes, string name)
    {
        if (!Utf8.IsValid(headerBytes.Span)) throw new WeightsException($"{name}: safetensors header is not valid UTF-8");
        JsonDocument header;
        try
        {
            Utf8File.ValidateJsonStrings(headerBytes.Span, $"{name}: safetensors header");
            header = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new WeightsException($"{name}: safetensors header is not valid JSON ({e.Message})");
        }
        catch (SsdInputException e) when (e is not WeightsException)
        {
            throw new WeightsException(e.Message, e);
        }
        if (header.RootElement.ValueKind == JsonValueKind.Object) return header;
        var kind = header.RootElement.ValueKind;
        header.Dispose();
        throw new WeightsException($"{name}: safetensors header is a JSON {kind}; expected an object");
    }

    private static void ReadMetadata(JsonElement node, Dictionary<string, string> metadata, string name)
    {
        if (node.ValueKind != JsonValueKind.Object) throw new WeightsException($"{name}: '{MetadataKey}' is a JSON {node.ValueKind}; expected an object of strings");
        foreach (var entry in node.EnumerateObject())
        {
            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw new WeightsException($"{name}: '{MetadataKey}' entry '{entry.Name}' is a JSON {entry.Value.ValueKind}; expected a string");
        }
    }

    /// <summary>One tensor: its dtype, shape and offsets checked (in checked arithmetic) against the data section before it is copied.</summary>
    private static HostTensor ReadTensor(string key, JsonElement entry, ReadOnlySpan<byte> data, string name)
    {
        string where = $"{name}: tensor '{key}'";
        if (entry.ValueKind != JsonValueKind.Object) throw new WeightsException($"{where} is a JSON {entry.ValueKind}; expected an object {{dtype, shape, data_offsets}}");
        var dtypeName = entry.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : null;
        if (dtypeName is null || !Enum.GetNames<TensorDType>().Contains(dtypeName))
            throw new WeightsException($"{where} has dtype {dtypeName ?? "(none)"}; expected one of {string.Join(", ", Enum.GetNames<TensorDType>())}");
        var dtype = Enum.Parse<TensorDType>(dtypeName);
        var shape = Integers(entry, "shape", where);
        var offsets = Integers(entry, "data_offsets", where);
        long count = 1;
        try
        {
            foreach (var side in shape) count = checked(count * side);
            count = checked(count * HostTensor.SizeOf(dtype));
        }
        catch (OverflowException)
        {
            throw new WeightsException($"{where} has shape {HostTensor.FormatShape(shape)}, too large for any file");
        }
        if (offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > data.Length || offsets[1] - offsets[0] != count)
            throw new WeightsException($"{where} has data offsets [{string.Join(", ", offsets)}] that do not fit shape {HostTensor.FormatShape(shape)} {dtypeName} in {data.Length} bytes of data");
        return new HostTensor(dtype, shape, data.Slice((int)offsets[0], (int)count).ToArray());
    }

    /// <summary>An array of non-negative whole numbers.</summary>
    private static long[] Integers(JsonElement entry, string property, string where)
    {
        if (!entry.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new WeightsException($"{where} has no '{property}' array");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out values[i]) || values[i] < 0)
                throw new WeightsException($"{where} has '{property}' value {v.GetRawText()}; expected a non-negative integer");
            i++;
        }
        return values;
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
            header[MetadataKey] = meta;
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
