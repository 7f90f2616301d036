using SsdSharp.Configuration;

namespace SsdSharp.Boxes;

/// <summary>
/// The default (prior) boxes of a configuration (SPEC §2) together with the coder that relates
/// predicted offsets to them: the one object detection and matching both build from the config,
/// as torchvision's SSD holds its anchor generator and box coder.
/// </summary>
public sealed class DefaultBoxes
{
    private DefaultBoxes(float[] centerForm, BoxCoder coder)
    {
        CenterForm = centerForm;
        Coder = coder;
    }

    /// <summary>
    /// The boxes, <c>[P, 4]</c> row-major, centre form (cx, cy, w, h), normalised, ordered by source,
    /// row, column, then box (1, 1', then r and 1/r per ratio). Do not modify.
    /// </summary>
    public float[] CenterForm { get; }

    /// <summary>The coder with the configuration's variances, size-offset clamp and clipping.</summary>
    public BoxCoder Coder { get; }

    /// <summary>Number of default boxes, P.</summary>
    public int Count => CenterForm.Length / 4;

    /// <summary>The default boxes and coder of <paramref name="config"/>.</summary>
    public static DefaultBoxes For(SsdConfig config)
    {
        var boxes = new float[config.NumPriors * 4];
        double size = config.InputSize;
        bool clipCenters = config.Clip == DefaultBoxClip.All;
        bool clipSizes = config.Clip != DefaultBoxClip.None;
        int at = 0;
        for (int k = 0; k < config.FeatureMaps.Count; k++)
        {
            int f = config.FeatureMaps[k];
            double fk = size / config.Steps[k];
            double s = config.MinSizes[k] / size;
            double sPrime = Math.Sqrt(s * (config.MaxSizes[k] / size));
            var shapes = new List<(double W, double H)> { (s, s), (sPrime, sPrime) };
            foreach (var r in config.AspectRatios[k])
            {
                shapes.Add((s * Math.Sqrt(r), s / Math.Sqrt(r)));
                shapes.Add((s / Math.Sqrt(r), s * Math.Sqrt(r)));
            }
            for (int i = 0; i < f; i++)
            {
                for (int j = 0; j < f; j++)
                {
                    // float64 like the reference's Python floats, rounded once to float32.
                    double cx = (j + 0.5) / fk, cy = (i + 0.5) / fk;
                    foreach (var (w, h) in shapes)
                    {
                        boxes[at++] = Round(cx, clipCenters);
                        boxes[at++] = Round(cy, clipCenters);
                        boxes[at++] = Round(w, clipSizes);
                        boxes[at++] = Round(h, clipSizes);
                    }
                }
            }
        }
        return new DefaultBoxes(boxes, new BoxCoder(config.Variances[0], config.Variances[1], config.SizeOffsetClamp, config.ClipDecodedBoxes));
    }

    /// <summary>Default box <paramref name="prior"/> in corner form (x1, y1, x2, y2), normalised.</summary>
    public (float X1, float Y1, float X2, float Y2) CornersOf(int prior)
    {
        var c = CenterForm.AsSpan(prior * 4, 4);
        return (c[0] - c[2] / 2, c[1] - c[3] / 2, c[0] + c[2] / 2, c[1] + c[3] / 2);
    }

    /// <summary>Corner-form boxes <c>[P, 4]</c> (normalised; clipped to [0, 1] when the coder says so) of one image's predicted offsets <c>[P, 4]</c>.</summary>
    public void Decode(ReadOnlySpan<float> loc, Span<float> corners) => Coder.Decode(loc, CenterForm, corners);

    private static float Round(double value, bool clip) => (float)(clip ? Math.Clamp(value, 0, 1) : value);
}
