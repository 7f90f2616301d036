using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace SsdSharp.Cli;

/// <summary>
/// Numeric options that refuse NaN, infinities and values outside their range when the command line is
/// parsed, before any work, naming the option: <c>--conf-threshold nan</c> must not silently give no
/// detections, nor <c>--max-detections -3</c> mean "no cap".
/// </summary>
internal static class NumericOption
{
    /// <summary>
    /// Images per batch, for detection and training alike: the batch's input alone takes B · 3 · S² floats
    /// (1 GB at 256 images of 512 pixels, before any activation), so a larger value is a slip, not a plan.
    /// </summary>
    public static NumberRange<int> BatchRange { get; } = new(1, 256);

    /// <summary>Data-loading threads: each holds a few batches ready, so memory grows with their number.</summary>
    public static NumberRange<int> WorkersRange { get; } = new(1, 64);

    /// <summary>An option with a default value.</summary>
    public static Option<T> Create<T>(string name, string description, NumberRange<T> range, T defaultValue) where T : struct, INumber<T> =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Parse(name, result, range) ?? defaultValue,
        };

    /// <summary>An option that is null when not given.</summary>
    public static Option<T?> Optional<T>(string name, string description, NumberRange<T> range) where T : struct, INumber<T> =>
        new(name)
        {
            Description = description,
            CustomParser = result => Parse(name, result, range),
        };

    private static T? Parse<T>(string name, ArgumentResult result, NumberRange<T> range) where T : struct, INumber<T>
    {
        var text = result.Tokens[0].Value;
        bool whole = typeof(T) != typeof(double) && typeof(T) != typeof(float);
        if (!T.TryParse(text, whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name}: expected {(whole ? "a whole number" : "a number")} {range}, got '{text}'");
            return null;
        }
        if (!range.Contains(value))
        {
            result.AddError($"{name}: must be {range}, got {text}");
            return null;
        }
        return value;
    }
}
