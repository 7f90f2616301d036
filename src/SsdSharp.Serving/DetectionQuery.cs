using System.Globalization;
using Microsoft.AspNetCore.Http;
using SsdSharp.Configuration;
using SsdSharp.Inference;

namespace SsdSharp.Serving;

/// <summary>
/// The post-processing options of a detection request, from its query string: <c>conf</c>, <c>nms</c>,
/// <c>top_k</c> and <c>max_detections</c> (0: no cap), as <c>ssd detect</c>'s options of those names.
/// </summary>
public static class DetectionQuery
{
    /// <summary>The query parameters understood.</summary>
    public static IReadOnlyList<string> Parameters { get; } = ["conf", "nms", "top_k", "max_detections"];

    /// <summary>The options of <paramref name="query"/>, the others taken from <paramref name="defaults"/>.</summary>
    /// <exception cref="HttpProblemException">400 naming the parameter: unknown, repeated, not a number, or out of range.</exception>
    public static DetectionOptions Parse(IQueryCollection query, DetectionOptions defaults)
    {
        var options = defaults;
        foreach (var (name, values) in query)
        {
            if (values.Count != 1) throw Invalid(name, $"given {values.Count} times; give it once");
            var text = values[0] ?? "";
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
        return options;
    }

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
