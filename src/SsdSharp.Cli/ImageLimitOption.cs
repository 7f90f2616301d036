using System.CommandLine;
using SsdSharp.Imaging;

namespace SsdSharp.Cli;

/// <summary>
/// <c>--max-megapixels</c> of the commands that read images: the largest image read (<see cref="ImageDecoder.MaxPixels"/>),
/// refused from its header above it. The default keeps a file declaring 100000×100000 pixels from exhausting memory.
/// </summary>
internal static class ImageLimitOption
{
    /// <summary>The most the option may ask for: what the library can hold (<see cref="ImageDecoder.MaxSupportedPixels"/>), 700 megapixels, already 2.8 GB as RGBA and 8.4 GB as floats.</summary>
    private const int MaxMegapixels = (int)(ImageDecoder.MaxSupportedPixels / 1_000_000);

    public static Option<int> Create() => NumericOption.Create("--max-megapixels",
        $"Largest image read, in megapixels (1 to {MaxMegapixels}); a larger one is refused from its header.",
        new NumberRange<int>(1, MaxMegapixels), (int)(ImageDecoder.DefaultMaxPixels / 1_000_000));

    /// <summary>Sets the limit for the rest of the process (the command).</summary>
    public static void Apply(ParseResult parse, Option<int> option) => ImageDecoder.MaxPixels = parse.GetValue(option) * 1_000_000L;
}
