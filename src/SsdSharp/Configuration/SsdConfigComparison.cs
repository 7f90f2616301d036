using System.Text.Json.Nodes;

namespace SsdSharp.Configuration;

/// <summary>Where two configurations differ, field by field of their JSON form (the names a user writes).</summary>
public static class SsdConfigComparison
{
    /// <summary>The first field, in the order of the JSON form, whose value differs; null when the two are equal.</summary>
    /// <returns>The field's JSON name and its value in each configuration, as compact JSON.</returns>
    public static (string Field, string First, string Second)? FirstDifference(SsdConfig first, SsdConfig second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = JsonNode.Parse(first.ToJson())!.AsObject();
        var b = JsonNode.Parse(second.ToJson())!.AsObject();
        foreach (var field in a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Distinct())
        {
            var x = a[field];
            var y = b[field];
            if (!JsonNode.DeepEquals(x, y)) return (field, x?.ToJsonString() ?? "absent", y?.ToJsonString() ?? "absent");
        }
        return null;
    }
}
