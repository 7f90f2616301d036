using System.Text.Json.Serialization;

namespace SsdSharp.Configuration;

/// <summary>The order of the network's three input channels (SPEC §1: the reference's network sees RGB).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelOrder>))]
public enum ChannelOrder
{
    /// <summary>Red, green, blue.</summary>
    [JsonStringEnumMemberName("RGB")]
    Rgb,

    /// <summary>Blue, green, red (OpenCV's order, as in Caffe models).</summary>
    [JsonStringEnumMemberName("BGR")]
    Bgr,
}
