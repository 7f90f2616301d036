using System.Text.Json.Nodes;
using SkiaSharp;
using SsdSharp.Imaging;
using SsdSharp.Inference;

namespace SsdSharp.Serving;

/// <summary>
/// What <c>GET /v1/model</c> says: the model's classes with their drawing colours (the palette of
/// <c>ssd detect --draw</c>, so that the web page draws each class in the same colour), the backend that runs
/// and the backend, device, precision and layout asked for, the default post-processing, the batching limits, and the whole configuration.
/// </summary>
public static class ModelDescription
{
    /// <summary>The description as a JSON object.</summary>
    public static JsonObject ToJson(SsdDetector detector, ServeOptions serve)
    {
        var config = detector.Config;
        var detection = detector.Detection;
        var classes = new JsonArray();
        for (int id = 1; id < config.NumClasses; id++)
        {
            var color = ClassPalette.ColorOf(id);
            classes.Add(new JsonObject
            {
                ["id"] = id,
                ["label"] = config.LabelOf(id),
                ["color"] = Hex(color),
                ["text_color"] = Hex(ClassPalette.TextColorOn(color)),
            });
        }
        return new JsonObject
        {
            ["name"] = config.Name,
            ["input_size"] = config.InputSize,
            ["priors"] = config.NumPriors,
            ["classes"] = classes,
            // What runs (with --backend auto, the path it chose), and what was asked for.
            ["backend"] = detector.Backend.Description,
            ["requested"] = new JsonObject
            {
                ["backend"] = detector.Options.Backend.ToString().ToLowerInvariant(),
                ["device"] = detector.Options.Device.ToString(),
                ["precision"] = detector.Options.Precision.ToString().ToLowerInvariant(),
                ["layout"] = detector.Options.Layout == TensorLayout.ChannelsLast ? "channels-last" : "contiguous",
            },
            ["defaults"] = new JsonObject
            {
                ["conf"] = detection.ConfidenceThreshold,
                ["nms"] = detection.NmsThreshold,
                ["top_k"] = detection.TopK,
                ["max_detections"] = detection.MaxDetections ?? 0,
                ["tta"] = detector.Options.TestTimeAugmentation,
            },
            ["limits"] = new JsonObject
            {
                ["max_batch"] = serve.MaxBatch,
                ["max_delay_ms"] = serve.MaxDelay.TotalMilliseconds,
                ["queue"] = serve.QueueLimit,
                ["max_upload_bytes"] = serve.MaxUploadBytes,
                ["max_pixels"] = ImageDecoder.MaxPixels,
            },
            ["config"] = JsonNode.Parse(config.ToJson()),
        };
    }

    private static string Hex(SKColor color) => $"#{color.Red:x2}{color.Green:x2}{color.Blue:x2}";
}
