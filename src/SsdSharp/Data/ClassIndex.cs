namespace SsdSharp.Data;

/// <summary>Maps class names to ids 1…K by exact match.</summary>
internal sealed class ClassIndex
{
    /// <summary>SSD's class 0, "no object": never a class of the data, so a dataset's object or category of that name is a problem of it.</summary>
    public const string Background = "background";

    private readonly Dictionary<string, int> _ids;

    public ClassIndex(IReadOnlyList<string> names)
    {
        Names = names;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (!_ids.TryAdd(names[i], i + 1)) throw new SsdInputException($"class names: '{names[i]}' appears twice");
        }
    }

    /// <summary>Class id i + 1 is <c>Names[i]</c>.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool TryGetId(string name, out int id) => _ids.TryGetValue(name, out id);

    /// <summary>The message for a name that is not a known class.</summary>
    public string UnknownMessage(string name) => name == Background
        ? $"class '{Background}' is SSD's class 0 (no object), not a class of the data; rename it"
        : $"unknown class '{name}' (names are matched exactly); known classes: {string.Join(", ", Names)}";
}
