namespace SsdSharp.Data.Augmentation;

/// <summary>
/// The reference's photometric distortion (SPEC §6 step 1), each part drawn with probability
/// <see cref="Probability"/>: brightness + U(−δ, δ); then either contrast first or contrast last
/// (even odds) around a round trip through HSV in which saturation is scaled and hue shifted (wrapped
/// to [0, 360)); then a random permutation of the three channels. Values are not clipped, as in the
/// reference, which distorts float images.
/// </summary>
/// <remarks>
/// All draws happen first and the parts are then fused into one pass over the pixels. The HSV
/// conversions are OpenCV's float formulas (<c>cv2.cvtColor</c> on float32, hue in degrees), and the
/// round trip happens even when neither saturation nor hue is drawn, as in the reference, where it
/// alters pixels that brightness pushed below zero.
/// </remarks>
public sealed record PhotometricDistort : ISampleTransform
{
    /// <summary>Chance of each random part (brightness, contrast, saturation, hue, channel swap).</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>Brightness change bound δ, in 0–255 units.</summary>
    public double BrightnessDelta { get; init; } = 32;

    /// <summary>Contrast factor range, lower bound.</summary>
    public double ContrastLower { get; init; } = 0.5;

    /// <summary>Contrast factor range, upper bound.</summary>
    public double ContrastUpper { get; init; } = 1.5;

    /// <summary>Saturation factor range, lower bound.</summary>
    public double SaturationLower { get; init; } = 0.5;

    /// <summary>Saturation factor range, upper bound.</summary>
    public double SaturationUpper { get; init; } = 1.5;

    /// <summary>Hue shift bound in degrees.</summary>
    public double HueDelta { get; init; } = 18;

    /// <summary>Whether the random channel permutation (the reference's "lighting noise") is part of it.</summary>
    public bool ChannelSwap { get; init; } = true;

    private static readonly int[][] Permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

    /// <inheritdoc />
    public void Apply(TrainingSample sample, RandomSource random)
    {
        var p = new Parameters
        {
            Brightness = random.Chance(Probability) ? (float)random.Uniform(-BrightnessDelta, BrightnessDelta) : 0f,
            ContrastFirst = random.Chance(0.5),
            Contrast = random.Chance(Probability) ? (float)random.Uniform(ContrastLower, ContrastUpper) : 1f,
            Saturation = random.Chance(Probability) ? (float)random.Uniform(SaturationLower, SaturationUpper) : 1f,
            Hue = random.Chance(Probability) ? (float)random.Uniform(-HueDelta, HueDelta) : 0f,
            Permutation = ChannelSwap && random.Chance(Probability) ? Permutations[random.NextInt(Permutations.Length)] : Permutations[0],
        };
        sample.Image.TransformColours(rgb => Distort(rgb, p));
    }

    private readonly struct Parameters
    {
        public float Brightness { get; init; }
        public bool ContrastFirst { get; init; }
        public float Contrast { get; init; }
        public float Saturation { get; init; }
        public float Hue { get; init; }
        public int[] Permutation { get; init; }
    }

    private static void Distort(Span<float> rgb, in Parameters p)
    {
        float contrastBefore = p.ContrastFirst ? p.Contrast : 1f;
        float contrastAfter = p.ContrastFirst ? 1f : p.Contrast;
        int p0 = p.Permutation[0], p1 = p.Permutation[1], p2 = p.Permutation[2];
        Span<float> c = stackalloc float[3];
        for (int i = 0; i + 2 < rgb.Length; i += 3)
        {
            float r = (rgb[i] + p.Brightness) * contrastBefore;
            float g = (rgb[i + 1] + p.Brightness) * contrastBefore;
            float b = (rgb[i + 2] + p.Brightness) * contrastBefore;
            RgbToHsv(r, g, b, out float h, out float s, out float v);
            s *= p.Saturation;
            h += p.Hue;
            if (h > 360f) h -= 360f;
            else if (h < 0f) h += 360f;
            HsvToRgb(h, s, v, out r, out g, out b);
            c[0] = r * contrastAfter;
            c[1] = g * contrastAfter;
            c[2] = b * contrastAfter;
            rgb[i] = c[p0];
            rgb[i + 1] = c[p1];
            rgb[i + 2] = c[p2];
        }
    }

    // OpenCV RGB2HSV_f: hue in degrees [0, 360), saturation relative to |value|.
    internal static void RgbToHsv(float r, float g, float b, out float h, out float s, out float v)
    {
        v = MathF.Max(r, MathF.Max(g, b));
        float min = MathF.Min(r, MathF.Min(g, b));
        float diff = v - min;
        s = diff / (MathF.Abs(v) + FltEpsilon);
        float scale = 60f / (diff + FltEpsilon);
        if (v == r) h = (g - b) * scale;
        else if (v == g) h = (b - r) * scale + 120f;
        else h = (r - g) * scale + 240f;
        if (h < 0f) h += 360f;
    }

    // OpenCV HSV2RGB_f with hue in degrees.
    internal static void HsvToRgb(float h, float s, float v, out float r, out float g, out float b)
    {
        if (s == 0f)
        {
            r = g = b = v;
            return;
        }
        h *= 6f / 360f;
        while (h < 0f) h += 6f;
        while (h >= 6f) h -= 6f;
        int sector = (int)MathF.Floor(h);
        h -= sector;
        if ((uint)sector >= 6u)
        {
            sector = 0;
            h = 0f;
        }
        float t0 = v, t1 = v * (1f - s), t2 = v * (1f - s * h), t3 = v * (1f - s * (1f - h));
        (r, g, b) = sector switch
        {
            0 => (t0, t3, t1),
            1 => (t2, t0, t1),
            2 => (t1, t0, t3),
            3 => (t1, t2, t0),
            4 => (t3, t1, t0),
            _ => (t0, t1, t2),
        };
    }

    // C's FLT_EPSILON (2^−23), which OpenCV adds to avoid division by zero; .NET's float.Epsilon is the smallest denormal.
    private const float FltEpsilon = 1.1920929e-7f;
}
