using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SsdSharp.IO;

namespace SsdSharp.Configuration;

/// <summary>
/// Everything that defines one SSD model: its classes, input size, network layout, default boxes
/// and preprocessing. Immutable; <see cref="Validate"/> refuses inconsistent values with a message
/// naming the field. Presets live in <see cref="SsdPresets"/>.
/// </summary>
public sealed record SsdConfig
{
    /// <summary>
    /// Most object classes a configuration may name: above the largest detection vocabularies (LVIS has 1,203)
    /// while keeping the class heads' weights within a few gigabytes.
    /// </summary>
    public const int MaxClasses = 10_000;

    /// <summary>Largest <see cref="InputSize"/>: four times the paper's largest input (512).</summary>
    public const int MaxInputSize = 2048;

    /// <summary>Most channels of any convolution (<see cref="BaseLayers"/>, <see cref="FcChannels"/>, <see cref="Extras"/>); VGG's largest is 1024.</summary>
    public const int MaxChannels = 8192;

    /// <summary>Most entries of <see cref="BaseLayers"/> and of <see cref="Extras"/>; VGG-16 has 17 and SSD512 10.</summary>
    public const int MaxLayers = 64;

    /// <summary>Largest kernel, stride or padding of an extra layer.</summary>
    public const int MaxExtraGeometry = 64;

    /// <summary>Most aspect ratios per source; the paper uses at most 2 (each adds two boxes per location).</summary>
    public const int MaxAspectRatios = 16;

    /// <summary>Name of the configuration, for display and file names.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Object class names, without the background class (id 0). Class id i + 1 is <c>ClassNames[i]</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Side of the square network input in pixels (300 or 512 in the paper).</summary>
    public int InputSize { get; init; } = 300;

    /// <summary>
    /// VGG base layout as in the reference's <c>vgg(cfg)</c>: 3×3 convolutions (plus ReLU, and batch norm when
    /// <see cref="BatchNorm"/>) and 2×2 max pools; in JSON <c>[64, 64, "M", …, "C", …]</c> like the reference's cfg.
    /// </summary>
    public IReadOnlyList<BaseLayer> BaseLayers { get; init; } = [];

    /// <summary>Channels of the dilated conv6 and of conv7 (1024 in the reference).</summary>
    public int FcChannels { get; init; } = 1024;

    /// <summary>Whether the base has batch normalisation after every convolution (the reference's <c>batch_norm</c> switch).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Extra feature layers after conv7; every second one is a source.</summary>
    public IReadOnlyList<ExtraLayer> Extras { get; init; } = [];

    /// <summary>Side of each source feature map for one input (derived from the network; checked by <see cref="Validate"/>).</summary>
    public IReadOnlyList<int> FeatureMaps { get; init; } = [];

    /// <summary>Stride in input pixels of each source, used to place default-box centres.</summary>
    public IReadOnlyList<double> Steps { get; init; } = [];

    /// <summary>Smallest default-box side per source, in input pixels.</summary>
    public IReadOnlyList<double> MinSizes { get; init; } = [];

    /// <summary>Size used for the extra square box per source (<c>sqrt(min·max)</c>), in input pixels.</summary>
    public IReadOnlyList<double> MaxSizes { get; init; } = [];

    /// <summary>Aspect ratios per source besides 1; each ratio r adds the boxes r and 1/r.</summary>
    public IReadOnlyList<IReadOnlyList<double>> AspectRatios { get; init; } = [];

    /// <summary>Box-coding variances (centre, size); 0.1 and 0.2 in the reference (torchvision's weights 10, 10, 5, 5 are their inverses).</summary>
    public IReadOnlyList<double> Variances { get; init; } = [0.1, 0.2];

    /// <summary>Which default-box values are clamped to [0, 1]: all four (the reference), only the sizes (torchvision) or none.</summary>
    public DefaultBoxClip Clip { get; init; } = DefaultBoxClip.All;

    /// <summary>
    /// Upper bound on a decoded size offset (the offset times its variance) before <c>exp</c>, so that a wild
    /// prediction cannot overflow: torchvision's <c>bbox_xform_clip</c>, log(1000 / 16). Null: none (the reference).
    /// </summary>
    public double? SizeOffsetClamp { get; init; }

    /// <summary>Whether decoded boxes are clipped to the image before NMS (torchvision) rather than only when scaled to pixels (the reference).</summary>
    public bool ClipDecodedBoxes { get; init; }

    /// <summary>
    /// What a full-intensity 8-bit channel is worth before <see cref="PixelMeans"/> and <see cref="PixelStds"/> apply:
    /// 255 (the reference: the bytes as they are) or 1 (torchvision: divided by 255).
    /// </summary>
    public double PixelRange { get; init; } = 255;

    /// <summary>Per-channel means subtracted from the input, in the order of <see cref="ChannelOrder"/>, in units of <see cref="PixelRange"/>.</summary>
    public IReadOnlyList<double> PixelMeans { get; init; } = [123, 117, 104];

    /// <summary>Per-channel divisors applied after the means, in the order of <see cref="ChannelOrder"/>: 1 in the reference; 1/255 in torchvision, undoing its division.</summary>
    public IReadOnlyList<double> PixelStds { get; init; } = [1, 1, 1];

    /// <summary>Channel order the network sees: RGB (the reference) or BGR.</summary>
    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Whether means and stds apply to the image before it is resized (torchvision) rather than after (the reference).</summary>
    public bool NormalizeBeforeResize { get; init; }

    /// <summary>How the bilinear resize to the input square samples the image: OpenCV's rounding (the reference) or PyTorch's (torchvision).</summary>
    public ResizeSampling ResizeSampling { get; init; } = ResizeSampling.OpenCv;

    /// <summary>
    /// The post-processing this model is meant to run with (its implementation's test settings), which
    /// <c>ssd detect</c> uses unless options override them; null: SPEC §5's (<see cref="DetectionOptions"/>' defaults).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DetectionOptions? Detection { get; init; }

    /// <summary>How this configuration is trained by default (<c>ssd train</c> options override it); null: the reference's VOC recipe.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TrainingRecipe? Recipe { get; init; }

    /// <summary>Number of classes including background.</summary>
    [JsonIgnore]
    public int NumClasses => ClassNames.Count + 1;

    /// <summary>Default boxes per feature-map location for each source: 2 + 2 · (number of aspect ratios).</summary>
    [JsonIgnore]
    public IReadOnlyList<int> BoxesPerLocation => AspectRatios.Select(r => 2 + 2 * r.Count).ToArray();

    /// <summary>The first source's base layer and every source's size and channels, worked out from the layer lists.</summary>
    /// <exception cref="SsdConfigException">The base has no convolution before a last max pool.</exception>
    [JsonIgnore]
    public NetworkLayout Layout => NetworkLayout.Of(this);

    /// <summary>Total number of default boxes.</summary>
    [JsonIgnore]
    public int NumPriors => FeatureMaps.Select((f, k) => f * f * BoxesPerLocation[k]).Sum();

    /// <summary>The label of a class id (0 is <c>"background"</c>).</summary>
    public string LabelOf(int classId) => classId == 0 ? "background" : ClassNames[classId - 1];

    /// <summary>A copy with <paramref name="count"/> object classes named <c>class1</c>…, for a model whose names are unknown.</summary>
    public SsdConfig WithClassCount(int count)
    {
        if (count < 1)
            throw new SsdConfigException("classes", $"must be at least 1 object class, got {count}");
        // Checked before the names are made: 10^8 of them would take gigabytes.
        CheckAtMost("classes", count, MaxClasses, "classes");
        return this with { ClassNames = Enumerable.Range(1, count).Select(i => $"class{i}").ToArray() };
    }

    /// <summary>Checks every field and the consistency between them.</summary>
    /// <exception cref="SsdConfigException">Naming the first field that is wrong.</exception>
    public SsdConfig Validate()
    {
        if (ClassNames.Count == 0) throw new SsdConfigException(nameof(ClassNames), "at least one class name is required");
        CheckAtMost(nameof(ClassNames), ClassNames.Count, MaxClasses, "class names");
        var duplicate = ClassNames.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new SsdConfigException(nameof(ClassNames), $"class name '{duplicate.Key}' appears twice");
        if (ClassNames.Any(string.IsNullOrWhiteSpace)) throw new SsdConfigException(nameof(ClassNames), "class names must not be empty");
        if (ClassNames.Contains("background")) throw new SsdConfigException(nameof(ClassNames), "'background' is implicit (class 0) and must not be listed");
        if (InputSize < 32) throw new SsdConfigException(nameof(InputSize), $"must be at least 32, got {InputSize}");
        CheckAtMost(nameof(InputSize), InputSize, MaxInputSize, "pixels");
        if (BaseLayers.Count == 0) throw new SsdConfigException(nameof(BaseLayers), "the VGG base needs at least one layer");
        CheckAtMost(nameof(BaseLayers), BaseLayers.Count, MaxLayers, "layers");
        foreach (var layer in BaseLayers.Where(l => l.Kind == BaseLayerKind.Convolution))
        {
            if (layer.OutChannels <= 0) throw new SsdConfigException(nameof(BaseLayers), "convolutions need a positive channel count");
            CheckAtMost(nameof(BaseLayers), layer.OutChannels, MaxChannels, "channels");
        }
        if (FcChannels <= 0) throw new SsdConfigException(nameof(FcChannels), $"must be positive, got {FcChannels}");
        CheckAtMost(nameof(FcChannels), FcChannels, MaxChannels, "channels");
        if (Extras.Count % 2 != 0) throw new SsdConfigException(nameof(Extras), "must come in pairs (1×1 reduce, then the source convolution)");
        CheckAtMost(nameof(Extras), Extras.Count, MaxLayers, "layers");
        foreach (var (e, i) in Extras.Select((e, i) => (e, i)))
        {
            var field = $"{nameof(Extras)}[{i}]";
            if (e is null) throw new SsdConfigException(field, "must be a layer {out_channels, kernel, stride, padding}");
            if (e.OutChannels <= 0 || e.Kernel <= 0 || e.Stride <= 0 || e.Padding < 0)
                throw new SsdConfigException(field, "channels, kernel and stride must be positive and padding non-negative");
            CheckAtMost(field, e.OutChannels, MaxChannels, "channels");
            if (Math.Max(e.Kernel, Math.Max(e.Stride, e.Padding)) > MaxExtraGeometry)
                throw new SsdConfigException(field, $"kernel {e.Kernel}, stride {e.Stride} and padding {e.Padding} must each be at most {MaxExtraGeometry}");
        }
        int sources = 2 + Extras.Count / 2;
        CheckCount(nameof(FeatureMaps), FeatureMaps.Count, sources);
        CheckCount(nameof(Steps), Steps.Count, sources);
        CheckCount(nameof(MinSizes), MinSizes.Count, sources);
        CheckCount(nameof(MaxSizes), MaxSizes.Count, sources);
        CheckCount(nameof(AspectRatios), AspectRatios.Count, sources);
        for (int k = 0; k < sources; k++)
        {
            if (FeatureMaps[k] <= 0) throw new SsdConfigException($"{nameof(FeatureMaps)}[{k}]", $"must be positive, got {FeatureMaps[k]}");
            if (!(Steps[k] > 0 && double.IsFinite(Steps[k]))) throw new SsdConfigException($"{nameof(Steps)}[{k}]", $"must be positive, got {Steps[k]}");
            if (!(MinSizes[k] > 0 && double.IsFinite(MinSizes[k]))) throw new SsdConfigException($"{nameof(MinSizes)}[{k}]", $"must be positive, got {MinSizes[k]}");
            if (!(MaxSizes[k] >= MinSizes[k] && double.IsFinite(MaxSizes[k]))) throw new SsdConfigException($"{nameof(MaxSizes)}[{k}]", $"must be at least the source's min size, {MinSizes[k]}, got {MaxSizes[k]}");
            var ratios = AspectRatios[k] ?? throw new SsdConfigException($"{nameof(AspectRatios)}[{k}]", "must be a list of ratios");
            CheckAtMost($"{nameof(AspectRatios)}[{k}]", ratios.Count, MaxAspectRatios, "ratios");
            if (ratios.Any(r => !(r > 0 && double.IsFinite(r)) || r == 1))
                throw new SsdConfigException($"{nameof(AspectRatios)}[{k}]", "ratios must be positive and not 1 (ratio 1 is always present)");
        }
        var actual = Layout.SourceSizes;
        for (int k = 0; k < sources; k++)
        {
            if (actual[k] != FeatureMaps[k])
                throw new SsdConfigException($"{nameof(FeatureMaps)}[{k}]",
                    $"the network gives a {actual[k]}×{actual[k]} source for a {InputSize}-pixel input, the config says {FeatureMaps[k]} (sources: {string.Join(", ", actual)})");
        }
        CheckCount(nameof(Variances), Variances.Count, 2);
        if (Variances.Any(v => !(v > 0 && double.IsFinite(v)))) throw new SsdConfigException(nameof(Variances), "must be positive");
        if (!Enum.IsDefined(Clip)) throw new SsdConfigException(nameof(Clip), $"must be all, sizes or none, got '{Clip}'");
        if (SizeOffsetClamp is double clamp && !(clamp > 0 && double.IsFinite(clamp)))
            throw new SsdConfigException(nameof(SizeOffsetClamp), $"must be positive and finite when given, got {clamp}");
        if (!(PixelRange > 0 && double.IsFinite(PixelRange))) throw new SsdConfigException(nameof(PixelRange), $"must be positive, got {PixelRange}");
        CheckCount(nameof(PixelMeans), PixelMeans.Count, 3);
        if (PixelMeans.Any(m => !double.IsFinite(m))) throw new SsdConfigException(nameof(PixelMeans), "must be finite");
        CheckCount(nameof(PixelStds), PixelStds.Count, 3);
        if (PixelStds.Any(v => !(v > 0 && double.IsFinite(v)))) throw new SsdConfigException(nameof(PixelStds), "must be positive");
        if (!Enum.IsDefined(ChannelOrder)) throw new SsdConfigException(nameof(ChannelOrder), $"must be RGB or BGR, got '{ChannelOrder}'");
        if (!Enum.IsDefined(ResizeSampling)) throw new SsdConfigException(nameof(ResizeSampling), $"must be opencv or pytorch, got '{ResizeSampling}'");
        Recipe?.Validate(nameof(Recipe));
        try
        {
            Detection?.Validate();
        }
        catch (SsdInputException e)
        {
            throw new SsdConfigException(nameof(Detection), e.Message);
        }
        return this;
    }

    private static void CheckCount(string field, int actual, int expected)
    {
        if (actual != expected)
            throw new SsdConfigException(field, $"expected {expected} entries, got {actual}");
    }

    private static void CheckAtMost(string field, int actual, int limit, string unit)
    {
        if (actual > limit)
            throw new SsdConfigException(field, $"{actual} {unit} is above the limit of {limit}");
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    /// <summary>The configuration as JSON (snake_case keys).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a configuration from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    public static SsdConfig FromJson(string json, string source = "config")
    {
        SsdConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<SsdConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new SsdConfigException(source, ConfigJsonError.Describe(e, JsonOptions));
        }
        if (config is null) throw new SsdConfigException(source, "is empty");
        try
        {
            return config.Validate();
        }
        catch (SsdConfigException e)
        {
            throw new SsdConfigException($"{source}: {ConfigJsonError.KeyOf(e.Field, JsonOptions)}", e.Reason);
        }
    }

    /// <summary>Writes the configuration as JSON.</summary>
    public void Save(string path) => IO.AtomicFile.WriteAllText(path, ToJson());

    /// <summary>
    /// Resolves a preset name (one of <see cref="SsdPresets.Names"/>) or loads a JSON file.
    /// </summary>
    public static SsdConfig Load(string nameOrPath)
    {
        if (SsdPresets.TryGet(nameOrPath, out var preset)) return preset;
        if (!File.Exists(nameOrPath))
            throw new SsdConfigException("config", $"'{nameOrPath}' is neither a preset ({string.Join(", ", SsdPresets.Names)}) nor an existing JSON file");
        return FromJson(Utf8File.ReadText(nameOrPath), nameOrPath);
    }
}

/// <summary>One extra feature layer: a convolution followed by ReLU.</summary>
/// <param name="OutChannels">Output channels.</param>
/// <param name="Kernel">Square kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on each side.</param>
public sealed record ExtraLayer(int OutChannels, int Kernel, int Stride = 1, int Padding = 0);

/// <summary>An invalid configuration value.</summary>
public sealed class SsdConfigException(string field, string reason)
    : SsdInputException($"{field}: {reason}")
{
    /// <summary>The offending field.</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
