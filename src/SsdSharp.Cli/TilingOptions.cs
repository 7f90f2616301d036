using System.CommandLine;
using SsdSharp.Inference;

namespace SsdSharp.Cli;

/// <summary>
/// <c>--tile SIZE</c> and <c>--overlap F</c> of <c>detect</c> and <c>eval</c>: tiled detection (<see cref="TileOptions"/>),
/// so that <c>eval</c> scores exactly what <c>detect --tile</c> gives.
/// </summary>
internal sealed class TilingOptions
{
    private readonly Option<int?> _tile = NumericOption.Optional("--tile",
        "Detect large images in square tiles of this many pixels (plus the whole image, merged by NMS): finds small objects, a forward pass per tile.",
        new NumberRange<int>(TileOptions.MinSize));

    private readonly Option<double> _overlap = NumericOption.Create("--overlap", "With --tile: the fraction of a tile that neighbouring tiles share.",
        new NumberRange<double>(0, TileOptions.MaxOverlap), new TileOptions().Overlap);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_tile);
        command.Options.Add(_overlap);
    }

    /// <summary>The tiles asked for, checked; null without <c>--tile</c>.</summary>
    /// <exception cref="SsdInputException">A value is out of range, or <c>--overlap</c> is given without <c>--tile</c>.</exception>
    public TileOptions? Parse(ParseResult parse)
    {
        if (parse.GetValue(_tile) is { } size) return new TileOptions { Size = size, Overlap = parse.GetValue(_overlap) }.Validate();
        CommandLineErrors.RefuseGiven(parse, [_overlap], name => $"{name} needs --tile SIZE");
        return null;
    }
}
