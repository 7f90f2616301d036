using System.Text.Json;

namespace SsdSharp.Cli;

/// <summary>JSON settings shared by the commands' machine-readable output.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
