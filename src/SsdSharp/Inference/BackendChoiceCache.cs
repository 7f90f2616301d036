using System.Text.Json;
using System.Text.Json.Serialization;
using SsdSharp.IO;

namespace SsdSharp.Inference;

/// <summary>
/// <see cref="AutoBackend"/>'s remembered choices: one JSON file mapping a key to the chosen options
/// and the times measured. Best effort both ways: a missing, unreadable or damaged file means
/// "not known yet", and a file that cannot be written only means timing again next time.
/// </summary>
internal sealed class BackendChoiceCache(string path)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The choice stored under <paramref name="key"/>, or null.</summary>
    public BackendChoice? Find(string key)
    {
        if (!ReadAll().TryGetValue(key, out var e)) return null;
        try
        {
            var options = new DetectorOptions { Backend = e.Backend, Precision = e.Precision, Layout = e.Layout, Device = ComputeDevice.Parse(e.Device) };
            return new BackendChoice(options, e.Description, e.Ms, e.Timings.Select(t => new BackendTiming(t.Description, t.Ms)).ToArray(),
                FromCache: true, e.MeasuredAt);
        }
        catch (SsdInputException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="choice"/> under <paramref name="key"/>, keeping the other entries.</summary>
    public void Store(string key, BackendChoice choice)
    {
        var entries = ReadAll();
        var o = choice.Options;
        entries[key] = new Entry(o.Backend, o.Precision, o.Layout, o.Device.ToString(), choice.Description, choice.Milliseconds,
            choice.Timings.Select(t => new Timing(t.Description, t.Milliseconds)).ToArray(), choice.MeasuredAt);
        try
        {
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(entries, JsonOptions));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not writable: the next load times again.
        }
    }

    private Dictionary<string, Entry> ReadAll()
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(path), JsonOptions) ?? [] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    private sealed record Entry(InferenceBackendKind Backend, InferencePrecision Precision, TensorLayout Layout, string Device,
        string Description, double? Ms, Timing[] Timings, DateTimeOffset MeasuredAt);

    private sealed record Timing(string Description, double Ms);
}
