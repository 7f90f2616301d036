using SsdSharp.Boxes;
using SsdSharp.Configuration;
using static SsdSharp.Onnx.GraphBuilder;

namespace SsdSharp.Onnx;

/// <summary>
/// The SSD network of SPEC §1 as ONNX nodes, followed by what every backend returns: boxes decoded
/// against the default boxes (SPEC §3, the rule of <see cref="BoxCoder.Decode"/>) and softmax scores.
/// Node and initializer names are the reference's state-dict names (<c>vgg.21</c>, <c>L2Norm</c>,
/// <c>extras.0</c>, <c>loc.0</c>, <c>conf.0</c>), with the flat <c>vgg</c> indices of
/// <c>VggBase</c>: ReLU and pooling layers keep their slots.
/// </summary>
internal static class SsdGraph
{
    /// <summary>Name of the input: <c>[N, 3, S, S]</c> float32, preprocessed as SPEC §1.</summary>
    public const string Images = "images";

    /// <summary>Name of the decoded boxes: <c>[N, P, 4]</c> (x1, y1, x2, y2), normalised, clipped only when the configuration clips decoded boxes.</summary>
    public const string Boxes = "boxes";

    /// <summary>Name of the class probabilities: <c>[N, P, C]</c>, softmax over C, class 0 the background.</summary>
    public const string Scores = "scores";

    // PyTorch's BatchNorm2d default, which the reference's vgg(batch_norm=True) uses.
    private const double BatchNormEpsilon = 1e-5;
    private const float L2NormEpsilon = 1e-10f;

    /// <summary>Adds the network, decoding and softmax to <paramref name="g"/>, reading weights from <paramref name="weights"/>.</summary>
    public static void Build(GraphBuilder g, SsdConfig config, StateDictReader weights, bool foldBatchNorm)
    {
        var layout = config.Layout;
        var sources = new List<string>();
        string x = Images;
        int channels = 3, index = 0;
        for (int position = 0; position < config.BaseLayers.Count; position++)
        {
            var entry = config.BaseLayers[position];
            if (entry.IsPool)
            {
                x = MaxPool(g, $"vgg.{index++}", x, kernel: 2, stride: 2, pad: 0, ceil: entry.Kind == BaseLayerKind.CeilMaxPool);
                continue;
            }
            x = Conv(g, weights, $"vgg.{index}", x, channels, entry.OutChannels, kernel: 3, pad: 1,
                batchNorm: config.BatchNorm ? $"vgg.{index + 1}" : null, foldBatchNorm: foldBatchNorm);
            index += config.BatchNorm ? 2 : 1;
            x = g.Node("Relu", $"vgg.{index++}", [x]);
            channels = entry.OutChannels;
            if (position == layout.FirstSourcePosition) sources.Add(L2Norm(g, weights, x, channels));
        }
        // pool5 keeps the resolution; conv6 (dilated) and conv7 are the converted fc6 and fc7.
        x = MaxPool(g, $"vgg.{index++}", x, kernel: 3, stride: 1, pad: 1, ceil: false);
        x = Conv(g, weights, $"vgg.{index++}", x, channels, config.FcChannels, kernel: 3, pad: 6, dilation: 6);
        x = g.Node("Relu", $"vgg.{index++}", [x]);
        x = Conv(g, weights, $"vgg.{index++}", x, config.FcChannels, config.FcChannels, kernel: 1, pad: 0);
        x = g.Node("Relu", $"vgg.{index}", [x]);
        sources.Add(x);

        channels = config.FcChannels;
        for (int i = 0; i < config.Extras.Count; i++)
        {
            var e = config.Extras[i];
            x = Conv(g, weights, $"extras.{i}", x, channels, e.OutChannels, e.Kernel, e.Padding, stride: e.Stride);
            x = g.Node("Relu", $"extras.{i}.relu", [x]);
            channels = e.OutChannels;
            if (i % 2 == 1) sources.Add(x);
        }

        var loc = Heads(g, weights, "loc", sources, layout.SourceChannels, config.BoxesPerLocation, 4);
        var conf = Heads(g, weights, "conf", sources, layout.SourceChannels, config.BoxesPerLocation, config.NumClasses);
        Decode(g, loc, DefaultBoxes.For(config));
        g.Node("Softmax", Scores, [conf], Int("axis", 2));
    }

    private static string Conv(GraphBuilder g, StateDictReader weights, string name, string input, int inChannels, int outChannels,
        int kernel, int pad, int stride = 1, int dilation = 1, string? batchNorm = null, bool foldBatchNorm = true)
    {
        var w = weights.Take($"{name}.weight", outChannels, inChannels, kernel, kernel);
        var b = weights.Take($"{name}.bias", outChannels);
        if (batchNorm != null && foldBatchNorm) Fold(weights, batchNorm, w, b);
        var output = g.Node("Conv", name,
            [input, g.Constant($"{name}.weight", w, outChannels, inChannels, kernel, kernel), g.Constant($"{name}.bias", b, outChannels)],
            Ints("kernel_shape", kernel, kernel), Ints("pads", pad, pad, pad, pad), Ints("strides", stride, stride), Ints("dilations", dilation, dilation));
        if (batchNorm == null || foldBatchNorm) return output;
        return g.Node("BatchNormalization", batchNorm,
            [output, .. new[] { "weight", "bias", "running_mean", "running_var" }.Select(p => g.Constant($"{batchNorm}.{p}", weights.Take($"{batchNorm}.{p}", outChannels), outChannels))],
            Float("epsilon", (float)BatchNormEpsilon));
    }

    /// <summary>
    /// Folds eval-mode batch norm <c>γ (y − μ) / √(σ² + ε) + β</c> into the convolution before it:
    /// weights scaled by <c>γ / √(σ² + ε)</c> per output channel, bias <c>(b − μ) · γ / √(σ² + ε) + β</c>, in float64.
    /// </summary>
    private static void Fold(StateDictReader weights, string name, float[] w, float[] b)
    {
        int outChannels = b.Length;
        var gamma = weights.Take($"{name}.weight", outChannels);
        var beta = weights.Take($"{name}.bias", outChannels);
        var mean = weights.Take($"{name}.running_mean", outChannels);
        var variance = weights.Take($"{name}.running_var", outChannels);
        int perChannel = w.Length / outChannels;
        for (int o = 0; o < outChannels; o++)
        {
            double scale = gamma[o] / Math.Sqrt(variance[o] + BatchNormEpsilon);
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) w[i] = (float)(w[i] * scale);
            b[o] = (float)((b[o] - mean[o]) * scale + beta[o]);
        }
    }

    private static string MaxPool(GraphBuilder g, string name, string input, int kernel, int stride, int pad, bool ceil) =>
        g.Node("MaxPool", name, [input],
            Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad), Int("ceil_mode", ceil ? 1 : 0));

    /// <summary>SPEC §1: <c>x / (sqrt(Σ_c x²) + 1e-10) · weight[c]</c>.</summary>
    private static string L2Norm(GraphBuilder g, StateDictReader weights, string x, int channels)
    {
        var square = g.Node("Mul", "L2Norm.square", [x, x]);
        var sum = g.Node("ReduceSum", "L2Norm.sum", [square, g.Int64s("L2Norm.axes", 1)], Int("keepdims", 1));
        var norm = g.Node("Add", "L2Norm.norm", [g.Node("Sqrt", "L2Norm.sqrt", [sum]), g.Scalar("L2Norm.eps", L2NormEpsilon)]);
        var normalised = g.Node("Div", "L2Norm.div", [x, norm]);
        return g.Node("Mul", "L2Norm", [normalised, g.Constant("L2Norm.weight", weights.Take("L2Norm.weight", channels), 1, channels, 1, 1)]);
    }

    /// <summary>
    /// The loc or conf heads over all sources, concatenated to <c>[N, P, values]</c>: each output is
    /// permuted from (N, A·values, H, W) to (N, H, W, A·values) so that flattening orders boxes by row, column, box.
    /// </summary>
    private static string Heads(GraphBuilder g, StateDictReader weights, string kind, List<string> sources,
        IReadOnlyList<int> channels, IReadOnlyList<int> boxesPerLocation, int values)
    {
        var shape = g.Int64s($"{kind}.shape", 0, -1, values);
        var parts = new List<string>();
        for (int k = 0; k < sources.Count; k++)
        {
            var head = Conv(g, weights, $"{kind}.{k}", sources[k], channels[k], boxesPerLocation[k] * values, kernel: 3, pad: 1);
            var nhwc = g.Node("Transpose", $"{kind}.{k}.nhwc", [head], Ints("perm", 0, 2, 3, 1));
            parts.Add(g.Node("Reshape", $"{kind}.{k}.flat", [nhwc, shape]));
        }
        return g.Node("Concat", kind, parts, Int("axis", 1));
    }

    /// <summary>
    /// SPEC §3 decoding in <see cref="BoxCoder.Decode"/>'s order of operations: centre
    /// <c>p_c + (l_c · v_c) · p_wh</c>, size <c>p_wh · exp(l_wh · v_s)</c>, then corners <c>c − wh / 2</c> and <c>(x1, y1) + wh</c>;
    /// with the coder's options (torchvision's) also <c>l_wh · v_s</c> bounded before <c>exp</c> and the corners clipped to [0, 1].
    /// </summary>
    private static void Decode(GraphBuilder g, string loc, DefaultBoxes defaultBoxes)
    {
        int priors = defaultBoxes.Count;
        var centers = new float[priors * 2];
        var sizes = new float[priors * 2];
        for (int p = 0; p < priors; p++)
        {
            centers[2 * p] = defaultBoxes.CenterForm[4 * p];
            centers[2 * p + 1] = defaultBoxes.CenterForm[4 * p + 1];
            sizes[2 * p] = defaultBoxes.CenterForm[4 * p + 2];
            sizes[2 * p + 1] = defaultBoxes.CenterForm[4 * p + 3];
        }
        var priorCenters = g.Constant("priors.center", centers, priors, 2);
        var priorSizes = g.Constant("priors.size", sizes, priors, 2);
        var axis = g.Int64s("decode.axis", 2);
        var locCenter = g.Node("Slice", "loc.center", [loc, g.Int64s("decode.center.start", 0), g.Int64s("decode.center.end", 2), axis]);
        var locSize = g.Node("Slice", "loc.size", [loc, g.Int64s("decode.size.start", 2), g.Int64s("decode.size.end", 4), axis]);

        var scaledCenter = g.Node("Mul", "decode.center.scaled", [locCenter, g.Scalar("variance.center", (float)defaultBoxes.Coder.CenterVariance)]);
        var center = g.Node("Add", "decode.center", [priorCenters, g.Node("Mul", "decode.center.offset", [scaledCenter, priorSizes])]);
        var scaledSize = g.Node("Mul", "decode.size.scaled", [locSize, g.Scalar("variance.size", (float)defaultBoxes.Coder.SizeVariance)]);
        if (defaultBoxes.Coder.SizeOffsetClamp is double clamp)
            scaledSize = g.Node("Min", "decode.size.clamped", [scaledSize, g.Scalar("decode.size.clamp", (float)clamp)]);
        var size = g.Node("Mul", "decode.size", [priorSizes, g.Node("Exp", "decode.size.exp", [scaledSize])]);
        var topLeft = g.Node("Sub", "decode.top_left", [center, g.Node("Div", "decode.half_size", [size, g.Scalar("decode.two", 2f)])]);
        var bottomRight = g.Node("Add", "decode.bottom_right", [topLeft, size]);
        if (!defaultBoxes.Coder.ClipToImage)
        {
            g.Node("Concat", Boxes, [topLeft, bottomRight], Int("axis", 2));
            return;
        }
        var corners = g.Node("Concat", "decode.corners", [topLeft, bottomRight], Int("axis", 2));
        g.Node("Clip", Boxes, [corners, g.Scalar("decode.clip.min", 0f), g.Scalar("decode.clip.max", 1f)]);
    }
}
