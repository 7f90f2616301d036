using System.Globalization;
using System.Numerics;

namespace SsdSharp.Cli;

/// <summary>The values a numeric option accepts: finite, from <see cref="Min"/> up to <see cref="Max"/> (none: unbounded).</summary>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value, or null.</param>
/// <param name="MinOpen">Whether <see cref="Min"/> itself is excluded.</param>
/// <param name="MaxOpen">Whether <see cref="Max"/> itself is excluded.</param>
internal sealed record NumberRange<T>(T Min, T? Max = null, bool MinOpen = false, bool MaxOpen = false) where T : struct, INumber<T>
{
    /// <summary>Whether <paramref name="value"/> is finite and in the range (NaN never is).</summary>
    public bool Contains(T value) =>
        T.IsFinite(value) && (MinOpen ? value > Min : value >= Min) && (Max is not { } max || (MaxOpen ? value < max : value <= max));

    /// <summary>The range in words: "at least 1", "greater than 0", "in [0, 1)".</summary>
    public override string ToString() => Max is { } max
        ? string.Create(CultureInfo.InvariantCulture, $"in {(MinOpen ? '(' : '[')}{Min}, {max}{(MaxOpen ? ')' : ']')}")
        : string.Create(CultureInfo.InvariantCulture, $"{(MinOpen ? "greater than" : "at least")} {Min}");
}
