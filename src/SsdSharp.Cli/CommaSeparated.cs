namespace SsdSharp.Cli;

/// <summary>
/// The items of a comma-separated option (<c>--classes</c>, <c>--lr-steps</c>, <c>--keep-float</c>). An empty item
/// (<c>a,,b</c>, a trailing comma) is a typo, so it is refused rather than dropped: dropping it would shift class ids or
/// lose a step without a word.
/// </summary>
internal static class CommaSeparated
{
    /// <summary>
    /// The trimmed items of <paramref name="text"/>. A blank <paramref name="text"/> is the empty list when
    /// <paramref name="blankAllowed"/> (an option where "none" means something: no rate steps, nothing kept in float),
    /// and refused otherwise.
    /// </summary>
    public static string[] Items(string option, string text, string expected, bool blankAllowed = false)
    {
        if (string.IsNullOrWhiteSpace(text))
            return blankAllowed ? [] : throw new SsdInputException($"{option} is empty: expected {expected}");
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        return items.Contains("")
            ? throw new SsdInputException($"{option} '{text}' has an empty item (two commas, or one at an end): expected {expected}")
            : items;
    }
}
