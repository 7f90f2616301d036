using System.Globalization;
using Microsoft.AspNetCore.Http;
using SsdSharp.Configuration;
using SsdSharp.Inference;

namespace SsdSharp.Serving;

/// <summary>
/// The options of a detection request, from its query string: <c>conf</c>, <c>nms</c>, <c>top_k</c> and
/// <c>max_detections</c> (0: no cap), as <c>ssd detect</c>'s options of those names, and <c>tta</c>
/// (<c>true</c> or <c>false</c>, also <c>1</c> or <c>0</c>), as its <c>--tta</c>.
/// </summary>
public static class DetectionQuery
{
    /// <summary>The query parameters understood.</summary>
    public static IReadOnlyList<string> Parameters { get; } = ["conf", "nms", "top_k", "max_detections", "tta"];

    /// <summary>The options of <paramref name="query"/>, the others taken from <paramref name="defaults"/>.</summary>
    /// <exception cref="HttpProblemException">400 naming the parameter: unknown, repeated, not a number (for <c>tta</c>: not true or false), or out of range.</exception>
    public static DetectionRequestOptions Parse(IQueryCollection query, DetectionRequestOptions defaults)
    {
        var options = defaults.Detection;
        bool tta = defaults.TestTimeAugmentation;
        foreach (var (name, values) in query)
        {
            if (values.Count != 1) throw Invalid(name, $"given {values.Count} times; give it once");
            var text = values[0] ?? "";
            if (name == "tta")
            {
                tta = Boolean(name, text);
                continue;
            }
            options = name switch
            {
                "conf" => options with { ConfidenceThreshold = Number(name, text) },
                "nms" => options with { NmsThreshold = Number(name, text) },
                "top_k" => options with { TopK = Integer(name, text) },
                "max_detections" => options with { MaxDetections = Integer(name, text) switch { 0 => null, var cap => cap } },
                _ => throw Invalid(name, $"unknown option; expected {string.Join(", ", Parameters)}"),
            };
            // Checked after each parameter, so that the message names the one out of range.
            try
            {
                options.Validate();
            }
            catch (SsdInputException e)
            {
                throw Invalid(name, e.Message);
            }
        }
        return new DetectionRequestOptions(options, tta);
    }

    private static bool Boolean(string name, string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw Invalid(name, $"expected true or false, got '{text}'"),
    };

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Invalid(name, $"expected a number, got '{text}'");

    private static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(name, $"expected an integer, got '{text}'");

    private static HttpProblemException Invalid(string name, string reason) =>
        new(StatusCodes.Status400BadRequest, "invalid option", $"query option '{name}': {reason}");
}
