using System.Text.Json;
using System.Text.Json.Serialization;

namespace SsdSharp.Configuration;

/// <summary>What an entry of the VGG base layout is.</summary>
public enum BaseLayerKind
{
    /// <summary>A 3×3 convolution with padding 1 (plus batch norm when configured, and ReLU).</summary>
    Convolution,

    /// <summary>A 2×2 max pool with stride 2 (the reference's <c>'M'</c>).</summary>
    MaxPool,

    /// <summary>A 2×2 max pool with stride 2 and ceil mode (the reference's <c>'C'</c>: 75 → 38 in SSD300).</summary>
    CeilMaxPool,
}

/// <summary>
/// One entry of the VGG base layout, as in the reference's <c>vgg(cfg)</c> list: a convolution with
/// <see cref="OutChannels"/> outputs, <c>M</c> or <c>C</c>. In JSON it is written as the reference writes it:
/// a number, <c>"M"</c> or <c>"C"</c> (numbers given as strings, as older model files hold them, are read too).
/// </summary>
/// <param name="Kind">Convolution or max pool.</param>
/// <param name="OutChannels">Output channels of a convolution; 0 for a pool.</param>
[JsonConverter(typeof(BaseLayerJsonConverter))]
public readonly record struct BaseLayer(BaseLayerKind Kind, int OutChannels = 0)
{
    /// <summary>A 3×3 convolution with <paramref name="outChannels"/> outputs.</summary>
    public static BaseLayer Conv(int outChannels) => new(BaseLayerKind.Convolution, outChannels);

    /// <summary>The reference's <c>'M'</c>.</summary>
    public static BaseLayer Pool { get; } = new(BaseLayerKind.MaxPool);

    /// <summary>The reference's <c>'C'</c>.</summary>
    public static BaseLayer CeilPool { get; } = new(BaseLayerKind.CeilMaxPool);

    /// <summary>Whether this entry is a max pool of either kind.</summary>
    public bool IsPool => Kind != BaseLayerKind.Convolution;

    /// <summary>Side of the output for an input of side <paramref name="size"/>.</summary>
    public int OutputSize(int size) => Kind switch
    {
        BaseLayerKind.MaxPool => size / 2,
        BaseLayerKind.CeilMaxPool => (size + 1) / 2,
        _ => size,
    };

    /// <summary>The reference's notation: the channel count, <c>M</c> or <c>C</c>.</summary>
    public override string ToString() => Kind switch
    {
        BaseLayerKind.MaxPool => "M",
        BaseLayerKind.CeilMaxPool => "C",
        _ => OutChannels.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the reference's notation (<c>64</c>, <c>"64"</c>, <c>"M"</c>, <c>"C"</c>).</summary>
    /// <exception cref="FormatException">Neither a positive channel count nor M or C.</exception>
    public static BaseLayer Parse(string text) => text switch
    {
        "M" => Pool,
        "C" => CeilPool,
        _ when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) && c > 0 => Conv(c),
        _ => throw new FormatException($"'{text}' is neither a positive channel count nor M or C"),
    };
}

/// <summary>JSON form of <see cref="BaseLayer"/>: a number for a convolution, <c>"M"</c> or <c>"C"</c> for pools.</summary>
internal sealed class BaseLayerJsonConverter : JsonConverter<BaseLayer>
{
    public override BaseLayer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return reader.TokenType switch
            {
                JsonTokenType.Number when reader.TryGetInt32(out var c) && c > 0 => BaseLayer.Conv(c),
                JsonTokenType.String => BaseLayer.Parse(reader.GetString()!),
                _ => throw new FormatException("expected a positive channel count, \"M\" or \"C\""),
            };
        }
        catch (FormatException e)
        {
            throw new ConfigValueException(e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, BaseLayer value, JsonSerializerOptions options)
    {
        if (value.IsPool) writer.WriteStringValue(value.ToString());
        else writer.WriteNumberValue(value.OutChannels);
    }
}
