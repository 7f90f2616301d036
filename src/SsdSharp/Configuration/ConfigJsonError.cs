using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace SsdSharp.Configuration;

/// <summary>
/// What a configuration file got wrong, in the words of the file: System.Text.Json's own messages name .NET
/// types ("could not be converted to System.Int32"), which mean nothing to someone editing JSON. The
/// exception's path leads through the serialized form of <see cref="SsdConfig"/> to the key at fault and to
/// the kind of value expected there.
/// </summary>
internal static partial class ConfigJsonError
{
    /// <summary>One line: the key (or the line and byte of a syntax error) and what was expected.</summary>
    /// <param name="e">The exception of <see cref="JsonSerializer.Deserialize{TValue}(string, JsonSerializerOptions?)"/>.</param>
    /// <param name="options">The options it ran with, whose metadata names the keys.</param>
    public static string Describe(JsonException e, JsonSerializerOptions options)
    {
        var at = e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {e.BytePositionInLine + 1})")
            : "";
        // The reader's syntax errors come wrapped; what was expected at that byte is all they can say.
        if (e.InnerException is JsonException) return $"malformed JSON{at}";
        // Our converters' messages already say what was expected, in the file's terms.
        if (e is ConfigValueException) return $"{e.Path ?? "$"}{at}: {e.Message}";

        var (key, info, unknown) = Follow(e.Path ?? "", options, (property, name) => property.Name == name);
        if (unknown is not null) return UnknownKey(key, unknown, info, at);
        // A key that maps to nothing may be left out of the path, which then stops at the object holding it.
        var unmapped = UnmappedName().Match(e.Message);
        return unmapped.Success ? UnknownKey(key, unmapped.Groups[1].Value, info, at) : $"{key}{at}: expected {Expected(info)}";
    }

    /// <summary>
    /// The file's key for a field that <see cref="SsdConfig.Validate"/> names the C# way (<c>Recipe.MaxGradientNorm</c>,
    /// <c>AspectRatios[2]</c>): <c>$.recipe.clip</c>, <c>$.aspect_ratios[2]</c>. A field it cannot follow stays as it is.
    /// </summary>
    public static string KeyOf(string field, JsonSerializerOptions options)
    {
        var (key, _, unknown) = Follow("." + field, options, (property, name) => (property.AttributeProvider as MemberInfo)?.Name == name);
        return unknown is null ? key : field;
    }

    /// <summary>
    /// Follows <paramref name="path"/> (steps <c>.name</c>, <c>['name']</c>, <c>[index]</c>) through the serialized form of
    /// <see cref="SsdConfig"/>, each name to the property <paramref name="names"/> says it names.
    /// </summary>
    /// <returns>The path as far as it led, in the file's keys; the type there; the first name no property has, if any.</returns>
    private static (string Key, JsonTypeInfo Info, string? Unknown) Follow(string path, JsonSerializerOptions options, Func<JsonPropertyInfo, string, bool> names)
    {
        var info = options.GetTypeInfo(typeof(SsdConfig));
        var key = "$";
        foreach (Match step in PathStep().Matches(path))
        {
            if (step.Groups["index"].Success)
            {
                key += step.Value;
                info = options.GetTypeInfo(info.ElementType ?? typeof(object));
                continue;
            }
            var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);
            var property = info.Properties.FirstOrDefault(p => names(p, name));
            if (property is null) return (key, info, name);
            // The configuration's keys are snake_case words, which a JSON path writes after a dot.
            key += "." + property.Name;
            info = options.GetTypeInfo(property.PropertyType);
        }
        return (key, info, null);
    }

    private static string UnknownKey(string parent, string name, JsonTypeInfo info, string at) =>
        $"{parent}{at}: unknown key '{name}'; expected one of {string.Join(", ", info.Properties.Select(p => p.Name))}";

    private static string Expected(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{JsonName(type, n)}\""));
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(float) || type == typeof(double)) return "a number";
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "a list",
            JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Object => "an object",
            _ => "a value of another kind",
        };
    }

    /// <summary>An enum member as the file spells it: its <see cref="JsonStringEnumMemberNameAttribute"/>, else its name.</summary>
    private static string JsonName(Type type, string member) =>
        type.GetField(member)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? member;

    /// <summary>One step of a JSON path: <c>.name</c>, <c>['name']</c> or <c>[index]</c>.</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();

    /// <summary>The key named by System.Text.Json's message for a key that maps to nothing.</summary>
    [GeneratedRegex(@"^The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedName();
}
