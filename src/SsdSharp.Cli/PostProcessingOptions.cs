using System.CommandLine;
using SsdSharp.Configuration;

namespace SsdSharp.Cli;

/// <summary>
/// <c>--conf-threshold</c>, <c>--nms-threshold</c>, <c>--top-k</c>, <c>--max-detections</c> and <c>--class-agnostic</c>
/// of <c>detect</c> and <c>eval</c> (SPEC §5's post-processing), so that <c>eval</c> scores exactly what <c>detect</c>
/// gives with the same options, and a post-processing setting is chosen on a validation split in one command.
/// </summary>
internal sealed class PostProcessingOptions
{
    private readonly Option<double?> _confThreshold = NumericOption.Optional("--conf-threshold",
        "Minimum class score, in [0, 1). Default: the model's (0.01).", new NumberRange<double>(0, 1, MaxOpen: true));

    private readonly Option<double?> _nmsThreshold = NumericOption.Optional("--nms-threshold",
        "NMS IoU threshold, in (0, 1]. Default: the model's (0.45).", new NumberRange<double>(0, 1, MinOpen: true));

    private readonly Option<int?> _topK = NumericOption.Optional("--top-k",
        "Candidates and kept boxes per class. Default: the model's (200; torchvision 400).", new NumberRange<int>(1));

    private readonly Option<int?> _maxDetections;

    private readonly Option<bool> _classAgnostic = new("--class-agnostic") { Description = "One NMS over all classes instead of one per class." };

    /// <param name="maxDetectionsDefault">What <c>--max-detections</c> is when not given, for its help text.</param>
    public PostProcessingOptions(string maxDetectionsDefault) =>
        _maxDetections = NumericOption.Optional("--max-detections", $"Most detections per image (0: no cap). Default: {maxDetectionsDefault}.", new NumberRange<int>(0));

    /// <summary>The five options, in the order <c>--help</c> lists them.</summary>
    public IReadOnlyList<Option> All => [_confThreshold, _nmsThreshold, _topK, _maxDetections, _classAgnostic];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary><paramref name="defaults"/> (a model's) with what the options set.</summary>
    public DetectionOptions Apply(ParseResult parse, DetectionOptions defaults) => defaults with
    {
        ConfidenceThreshold = parse.GetValue(_confThreshold) ?? defaults.ConfidenceThreshold,
        NmsThreshold = parse.GetValue(_nmsThreshold) ?? defaults.NmsThreshold,
        TopK = parse.GetValue(_topK) ?? defaults.TopK,
        MaxDetections = parse.GetValue(_maxDetections) is int m ? (m > 0 ? m : null) : defaults.MaxDetections,
        ClassAgnostic = parse.GetValue(_classAgnostic) || defaults.ClassAgnostic,
    };

    /// <summary>Checks the values together before any model loads.</summary>
    /// <exception cref="SsdInputException">They are not a valid <see cref="DetectionOptions"/>.</exception>
    public void Check(ParseResult parse) => Apply(parse, new DetectionOptions()).Validate();
}
