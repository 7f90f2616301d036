using System.Text.Json;
using System.Text.Json.Nodes;
using SsdSharp.Inference;

namespace SsdSharp.Evaluation;

/// <summary>
/// Writes detections in the <c>ssd detect</c> JSON form that <see cref="DetectionFileReader"/> reads:
/// an array of <c>{"image", "width", "height", "detections": [{"label", "class_id", "score", "box": [x1, y1, x2, y2]}]}</c>,
/// boxes in pixels of the original image (2 decimals), scores to 6 decimals.
/// </summary>
public static class DetectionFileWriter
{
    /// <summary>The JSON object of one image (an element of the array; also one line of JSON Lines output).</summary>
    public static JsonObject ToJsonObject(ImageDetections result)
    {
        var detections = new JsonArray();
        foreach (var d in result.Detections) detections.Add(ToJsonObject(d));
        return new JsonObject
        {
            ["image"] = result.Image,
            ["width"] = result.Width,
            ["height"] = result.Height,
            ["detections"] = detections,
        };
    }

    /// <summary>One detection as the JSON object of the documented form: <c>{"label", "class_id", "score", "box": [x1, y1, x2, y2]}</c>.</summary>
    public static JsonObject ToJsonObject(Detection detection) => new()
    {
        ["label"] = detection.Label,
        ["class_id"] = detection.ClassId,
        ["score"] = Math.Round(detection.Score, 6),
        ["box"] = new JsonArray(Math.Round(detection.Box.X1, 2), Math.Round(detection.Box.Y1, 2), Math.Round(detection.Box.X2, 2), Math.Round(detection.Box.Y2, 2)),
    };

    /// <summary>The documented JSON form: an indented array with one object per image, and a final newline.</summary>
    public static string ToJson(IEnumerable<ImageDetections> results)
    {
        var array = new JsonArray();
        foreach (var r in results) array.Add(ToJsonObject(r));
        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
