using System.Text.Json;
using System.Text.Json.Serialization;

namespace SsdSharp.Configuration;

/// <summary>
/// Which values of the default boxes (centre form, normalised) are clamped to [0, 1]. In JSON
/// <c>"all"</c>, <c>"sizes"</c> or <c>"none"</c>; <c>true</c> and <c>false</c>, as older files hold them, read as all and none.
/// </summary>
[JsonConverter(typeof(DefaultBoxClipJsonConverter))]
public enum DefaultBoxClip
{
    /// <summary>No clamping.</summary>
    None,

    /// <summary>Centre, width and height (ssd.pytorch, SPEC §2): a centre past the last step lands on the edge.</summary>
    All,

    /// <summary>
    /// Width and height only (torchvision's <c>DefaultBoxGenerator</c>): centres stay where the steps put them,
    /// for example 304 px in SSD300's 10×10 map, whose step of 32 overshoots 300.
    /// </summary>
    Sizes,
}

/// <summary>JSON form of <see cref="DefaultBoxClip"/>: a lower-case name, or a boolean (older files).</summary>
internal sealed class DefaultBoxClipJsonConverter : JsonConverter<DefaultBoxClip>
{
    public override DefaultBoxClip Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => DefaultBoxClip.All,
        JsonTokenType.False => DefaultBoxClip.None,
        JsonTokenType.String => reader.GetString() switch
        {
            "all" => DefaultBoxClip.All,
            "sizes" => DefaultBoxClip.Sizes,
            "none" => DefaultBoxClip.None,
            var other => throw new ConfigValueException($"'{other}' is not a default-box clip (expected \"all\", \"sizes\" or \"none\")"),
        },
        _ => throw new ConfigValueException("expected \"all\", \"sizes\" or \"none\""),
    };

    public override void Write(Utf8JsonWriter writer, DefaultBoxClip value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().ToLowerInvariant());
}
