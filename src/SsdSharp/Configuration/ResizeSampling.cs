using System.Text.Json.Serialization;

namespace SsdSharp.Configuration;

/// <summary>
/// Where bilinear resizing samples the source: both conventions map output pixel d to source coordinate
/// <c>(d + 0.5) · src/dst − 0.5</c> (half-pixel centres, no antialiasing), but they round differently, which
/// moves interpolation weights by up to a float32 step and values by up to 1e-2 at sharp edges.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResizeSampling>))]
public enum ResizeSampling
{
    /// <summary>OpenCV's <c>cv2.resize(INTER_LINEAR)</c>, which the reference uses: the coordinate in float64, rounded once to float32.</summary>
    [JsonStringEnumMemberName("opencv")]
    OpenCv,

    /// <summary>
    /// PyTorch's <c>interpolate(mode="bilinear", align_corners=False)</c>, which torchvision's transform uses:
    /// scale and coordinate in float32, negative coordinates clamped to 0.
    /// </summary>
    [JsonStringEnumMemberName("pytorch")]
    PyTorch,
}
