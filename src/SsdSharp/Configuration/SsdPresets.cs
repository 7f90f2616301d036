using System.Diagnostics.CodeAnalysis;

namespace SsdSharp.Configuration;

/// <summary>
/// The configurations of the SSD paper (Liu et al., ECCV 2016) as ssd.pytorch defines them
/// (SPEC §1–§2), plus <c>shapes300</c>, our compact SSD300 for CPU training, <c>shapes512</c>, its network
/// on a 512-pixel input, and <c>torchvision300</c>, torchvision's SSD300.
/// </summary>
public static class SsdPresets
{
    /// <summary>PASCAL VOC class names, ids 1–20 (SPEC §7).</summary>
    public static readonly IReadOnlyList<string> VocClasses =
    [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    /// <summary>The 80 COCO category names in the order of their ids, mapped to 1–80.</summary>
    public static readonly IReadOnlyList<string> CocoClasses =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
        "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
        "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
        "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
        "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    /// <summary>
    /// The 90 category ids of torchvision's COCO detection models (its <c>_COCO_CATEGORIES</c> without
    /// <c>__background__</c>): COCO's own ids 1–90, that is <see cref="CocoClasses"/> with the 10 ids COCO never
    /// used as gaps, which torchvision calls "N/A" and which are numbered here (<c>N/A (12)</c>, …) because class
    /// names must be unique.
    /// </summary>
    public static readonly IReadOnlyList<string> TorchvisionCocoClasses = WithGaps(CocoClasses, [12, 26, 29, 30, 45, 66, 68, 69, 71, 83]);

    /// <summary>The classes of the synthetic shapes dataset (<c>ssd synth</c>).</summary>
    public static readonly IReadOnlyList<string> ShapeClasses = ["circle", "square", "triangle", "star", "hexagon"];

    private static readonly BaseLayer M = BaseLayer.Pool;
    private static readonly BaseLayer C = BaseLayer.CeilPool;

    private static BaseLayer[] Convs(params int[] channels) => channels.Select(BaseLayer.Conv).ToArray();

    // VGG16's conv1_1 … conv5_3 with the reference's pools ('C' makes conv4_3 38×38 from 75×75).
    private static readonly BaseLayer[] VggLayers =
        [.. Convs(64, 64), M, .. Convs(128, 128), M, .. Convs(256, 256, 256), C, .. Convs(512, 512, 512), M, .. Convs(512, 512, 512)];

    private static readonly ExtraLayer[] Extras300 =
    [
        new(256, 1), new(512, 3, 2, 1),
        new(128, 1), new(256, 3, 2, 1),
        new(128, 1), new(256, 3),
        new(128, 1), new(256, 3),
    ];

    // SSD512 of the paper's Caffe model: the last source convolution is 4×4 with padding 1.
    private static readonly ExtraLayer[] Extras512 =
    [
        new(256, 1), new(512, 3, 2, 1),
        new(128, 1), new(256, 3, 2, 1),
        new(128, 1), new(256, 3, 2, 1),
        new(128, 1), new(256, 3, 2, 1),
        new(128, 1), new(256, 4, 1, 1),
    ];

    private static readonly double[][] Ratios300 = [[2], [2, 3], [2, 3], [2, 3], [2], [2]];
    private static readonly double[][] Ratios512 = [[2], [2, 3], [2, 3], [2, 3], [2, 3], [2], [2]];

    /// <summary>SSD300 for PASCAL VOC (21 classes with background).</summary>
    public static SsdConfig Voc300 { get; } = Ssd300("voc300", VocClasses, TrainingRecipe.ReferenceVoc,
        minSizes: [30, 60, 111, 162, 213, 264], maxSizes: [60, 111, 162, 213, 264, 315]);

    /// <summary>SSD300 for COCO (81 classes with background; the reference's 201 was a bug).</summary>
    public static SsdConfig Coco300 { get; } = Ssd300("coco300", CocoClasses, TrainingRecipe.ReferenceCoco,
        minSizes: [21, 45, 99, 153, 207, 261], maxSizes: [45, 99, 153, 207, 261, 315]);

    /// <summary>SSD512 for PASCAL VOC.</summary>
    public static SsdConfig Voc512 { get; } = Ssd512("voc512", VocClasses, TrainingRecipe.ReferenceVoc,
        minSizes: [35.84, 76.8, 153.6, 230.4, 307.2, 384.0, 460.8],
        maxSizes: [76.8, 153.6, 230.4, 307.2, 384.0, 460.8, 537.6]);

    /// <summary>SSD512 for COCO.</summary>
    public static SsdConfig Coco512 { get; } = Ssd512("coco512", CocoClasses, TrainingRecipe.ReferenceCoco,
        minSizes: [20.48, 51.2, 133.12, 215.04, 296.96, 378.88, 460.8],
        maxSizes: [51.2, 133.12, 215.04, 296.96, 378.88, 460.8, 542.72]);

    /// <summary>
    /// Our addition, not in the paper: SSD300's sources, default boxes and heads on a lean VGG-style
    /// base with batch norm (one or two convolutions per stage, 16 to 128 channels, conv6/conv7 of 256)
    /// and extras of a quarter of the width, about 0.9 GMACs per image instead of 31 (<c>ssd summary</c>): a run of its
    /// recipe takes minutes on a GPU and hours on a two-core CPU. The first source is, as in VGG16, the last convolution before the last
    /// max pool (38×38). Its base has batch norm, which tolerates a higher rate; the recipe is the run that
    /// produced the bundled model (docs/training.md).
    /// </summary>
    public static SsdConfig Shapes300 { get; } = (Voc300 with
    {
        Name = "shapes300",
        ClassNames = ShapeClasses,
        BaseLayers = [.. Convs(16), M, .. Convs(32), M, .. Convs(64), C, .. Convs(128, 128), M, .. Convs(128)],
        FcChannels = 256,
        BatchNorm = true,
        Extras = [new(64, 1), new(128, 3, 2, 1), new(32, 1), new(64, 3, 2, 1), new(32, 1), new(64, 3), new(32, 1), new(64, 3)],
        Recipe = new TrainingRecipe
        {
            Iterations = 6_500,
            LearningRate = 2e-2,
            LearningRateSteps = [5_200, 6_000],
            WarmupIterations = 150,
            MaxGradientNorm = 10,
            CheckpointEvery = 500,
        },
    }).Validate();

    /// <summary>
    /// Our addition: <see cref="Shapes300"/>'s network on a 512-pixel input, for small objects. Every layer and
    /// head is <see cref="Shapes300"/>'s (the sources are 64, 32, 16, 8, 6 and 4 pixels a side), so the bundled
    /// shapes300 model is its starting point (<c>--init</c>), and its default boxes keep shapes300's smallest sizes
    /// in pixels (30, 60 and 111 px) on the three finest sources, where the features were learnt, while the
    /// coarser ones reach 460 px, as the objects do at this input: boxes scaled by 512/300 instead would put every object
    /// on a source that learnt objects 1.7 times smaller (before any training, the bundled model's weights score
    /// VOC07 0.02 with such boxes and 0.88 with these). About 2.8 times shapes300's work per image. The recipe is
    /// the fine-tuning run from the bundled model that produced <c>models/shapes512.safetensors</c>
    /// (docs/training.md); a run from scratch (no <c>--init</c>) takes shapes300's, not measured at this input.
    /// </summary>
    public static SsdConfig Shapes512 { get; } = (Shapes300 with
    {
        Name = "shapes512",
        InputSize = 512,
        FeatureMaps = [64, 32, 16, 8, 6, 4],
        Steps = [8, 16, 32, 64, 512 / 6.0, 128],
        MinSizes = [30, 60, 111, 180, 260, 350],
        MaxSizes = [60, 111, 180, 260, 350, 460],
        // Chosen on the validation split (VOC07 at NMS 0.45 / 0.5 / 0.55 / 0.6: 0.9366 / 0.9424 / 0.9421 / 0.9386): 0.5
        // keeps boxes that overlap a better one by 0.45–0.5, and there one of them fits a partly covered shape.
        Detection = new DetectionOptions { NmsThreshold = 0.5 },
        // shapes300's gradient clipping, on a shorter schedule at half its rate: a fine-tuning run.
        Recipe = Shapes300.Recipe! with
        {
            Iterations = 3_051,
            LearningRate = 1e-2,
            LearningRateSteps = [1_400, 2_200],
            WarmupIterations = 100,
            CheckpointEvery = 300,
            WithoutPretrainedBase = Shapes300.Recipe,
        },
    }).Validate();

    /// <summary>
    /// torchvision's <c>ssd300_vgg16</c> (the released <c>ssd300_vgg16_coco-b556d3b4.pth</c>: 91 classes with
    /// background): the network of <see cref="Coco300"/> — torchvision's scales 0.07…1.05 are its box sizes —
    /// with torchvision's conventions around it. Its transform scales pixels to [0, 1], subtracts the means
    /// [0.48235, 0.45882, 0.40784], divides by 1/255 and only then resizes, with PyTorch's bilinear rounding;
    /// its default boxes clamp only their sizes; its coder (weights 10, 10, 5, 5, the inverse variances)
    /// bounds size offsets at log(1000/16) and clips decoded boxes to the image before NMS; it keeps the
    /// 400 best candidates per class and 200 detections per image. Its L2Norm divides by
    /// <c>max(norm, 1e-12)</c> rather than <c>norm + 1e-10</c>; the two agree to float32 precision unless the
    /// norm over conv4_3's 512 channels at a location is below about 2e-3 (and both give 0 where it is 0),
    /// so the network is the same module.
    /// </summary>
    public static SsdConfig Torchvision300 { get; } = (Coco300 with
    {
        Name = "torchvision300",
        ClassNames = TorchvisionCocoClasses,
        Clip = DefaultBoxClip.Sizes,
        SizeOffsetClamp = Math.Log(1000.0 / 16),
        ClipDecodedBoxes = true,
        PixelRange = 1,
        PixelMeans = [0.48235, 0.45882, 0.40784],
        PixelStds = [1 / 255.0, 1 / 255.0, 1 / 255.0],
        NormalizeBeforeResize = true,
        ResizeSampling = ResizeSampling.PyTorch,
        Detection = new DetectionOptions { TopK = 400, MaxDetections = 200 },
    }).Validate();

    // Every preset once: its name is its configuration's (declared after them, so initialised after them).
    private static readonly SsdConfig[] All = [Voc300, Coco300, Voc512, Coco512, Shapes300, Shapes512, Torchvision300];

    /// <summary>Names accepted by <see cref="TryGet"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(c => c.Name)];

    /// <summary>Looks a preset up by name (case-insensitive).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out SsdConfig? config)
    {
        config = All.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return config != null;
    }

    private static SsdConfig Ssd300(string name, IReadOnlyList<string> classes, TrainingRecipe recipe, double[] minSizes, double[] maxSizes) => new SsdConfig
    {
        Name = name,
        Recipe = recipe,
        ClassNames = classes,
        InputSize = 300,
        BaseLayers = VggLayers,
        Extras = Extras300,
        FeatureMaps = [38, 19, 10, 5, 3, 1],
        Steps = [8, 16, 32, 64, 100, 300],
        MinSizes = minSizes,
        MaxSizes = maxSizes,
        AspectRatios = Ratios300,
    }.Validate();

    private static SsdConfig Ssd512(string name, IReadOnlyList<string> classes, TrainingRecipe recipe, double[] minSizes, double[] maxSizes) => new SsdConfig
    {
        Name = name,
        Recipe = recipe,
        ClassNames = classes,
        InputSize = 512,
        BaseLayers = VggLayers,
        Extras = Extras512,
        FeatureMaps = [64, 32, 16, 8, 4, 2, 1],
        Steps = [8, 16, 32, 64, 128, 256, 512],
        MinSizes = minSizes,
        MaxSizes = maxSizes,
        AspectRatios = Ratios512,
    }.Validate();

    /// <summary><paramref name="names"/> numbered from 1 with an "N/A (id)" entry at each of the <paramref name="gaps"/> (ascending ids).</summary>
    private static string[] WithGaps(IReadOnlyList<string> names, int[] gaps)
    {
        var result = new List<string>(names);
        foreach (var id in gaps) result.Insert(id - 1, $"N/A ({id})");
        return [.. result];
    }
}
