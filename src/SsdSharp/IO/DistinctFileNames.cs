namespace SsdSharp.IO;

/// <summary>
/// File names made from free text such as class names, one per text and each different from the others: characters
/// other than letters, digits, '-' and '_' become '_', the text is cut to <see cref="MaxTextChars"/> characters so that
/// the name stays within a file name's 255 bytes, and a name met before — the same text after those changes (<c>a b</c>
/// and <c>a_b</c>), or one differing only in case, which folders on macOS and Windows do not tell apart — is numbered
/// (<c>_2</c>, <c>_3</c> …).
/// </summary>
/// <param name="prefix">What every name starts with (<c>pr_</c>).</param>
/// <param name="extension">What every name ends with (<c>.png</c>).</param>
public sealed class DistinctFileNames(string prefix, string extension)
{
    /// <summary>Characters of the text kept: 4 bytes each at most in UTF-8, leaving room for the prefix, a number and the extension.</summary>
    public const int MaxTextChars = 48;

    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);

    /// <summary>The file name of <paramref name="text"/>: the same for the same text, different from any other text's.</summary>
    public string For(string text)
    {
        if (_given.TryGetValue(text, out var known)) return known;
        var safe = new string(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(MaxTextChars).ToArray());
        var name = $"{prefix}{safe}{extension}";
        for (int k = 2; !_used.Add(name); k++) name = $"{prefix}{safe}_{k}{extension}";
        _given[text] = name;
        return name;
    }
}
