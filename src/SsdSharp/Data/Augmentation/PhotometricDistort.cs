using System.Buffers;
using System.Numerics;

namespace SsdSharp.Data.Augmentation;

/// <summary>
/// The reference's photometric distortion (SPEC §6 step 1), each part drawn with probability
/// <see cref="Probability"/>: brightness + U(−δ, δ); then either contrast first or contrast last
/// (even odds) around a round trip through HSV in which saturation is scaled and hue shifted (wrapped
/// back into [0, 360]); then a random permutation of the three channels. Values are not clipped, as in the
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
        int count = rgb.Length / 3;
        var pool = ArrayPool<float>.Shared;
        float[] r = pool.Rent(count), g = pool.Rent(count), b = pool.Rent(count);
        try
        {
            for (int i = 0, j = 0; i < count; i++, j += 3)
            {
                r[i] = rgb[j];
                g[i] = rgb[j + 1];
                b[i] = rgb[j + 2];
            }
            int vectorEnd = Vector.IsHardwareAccelerated ? count - count % Vector<float>.Count : 0;
            for (int i = 0; i < vectorEnd; i += Vector<float>.Count)
                DistortVector(r.AsSpan(i), g.AsSpan(i), b.AsSpan(i), p);
            for (int i = vectorEnd; i < count; i++)
                DistortScalar(ref r[i], ref g[i], ref b[i], p);
            // The channel swap: output channel k takes input channel Permutation[k].
            ReadOnlySpan<float> c0 = Channel(p.Permutation[0], r, g, b), c1 = Channel(p.Permutation[1], r, g, b), c2 = Channel(p.Permutation[2], r, g, b);
            for (int i = 0, j = 0; i < count; i++, j += 3)
            {
                rgb[j] = c0[i];
                rgb[j + 1] = c1[i];
                rgb[j + 2] = c2[i];
            }
        }
        finally
        {
            pool.Return(r);
            pool.Return(g);
            pool.Return(b);
        }
    }

    private static float[] Channel(int index, float[] r, float[] g, float[] b) => index switch { 0 => r, 1 => g, _ => b };

    // The same operations in the same order as DistortVector, one pixel at a time, for the row ends.
    private static void DistortScalar(ref float r, ref float g, ref float b, in Parameters p)
    {
        float before = p.ContrastFirst ? p.Contrast : 1f, after = p.ContrastFirst ? 1f : p.Contrast;
        RgbToHsv((r + p.Brightness) * before, (g + p.Brightness) * before, (b + p.Brightness) * before, out float h, out float s, out float v);
        s *= p.Saturation;
        h += p.Hue;
        if (h > 360f) h -= 360f;
        else if (h < 0f) h += 360f;
        HsvToRgb(h, s, v, out r, out g, out b);
        r *= after;
        g *= after;
        b *= after;
    }

    // Vector<float>.Count pixels at once; branches of the OpenCV formulas become masks.
    private static void DistortVector(Span<float> rs, Span<float> gs, Span<float> bs, in Parameters p)
    {
        var brightness = new Vector<float>(p.Brightness);
        var before = new Vector<float>(p.ContrastFirst ? p.Contrast : 1f);
        var after = new Vector<float>(p.ContrastFirst ? 1f : p.Contrast);
        var r = (new Vector<float>(rs) + brightness) * before;
        var g = (new Vector<float>(gs) + brightness) * before;
        var b = (new Vector<float>(bs) + brightness) * before;

        var epsilon = new Vector<float>(FltEpsilon);
        var v = Vector.Max(r, Vector.Max(g, b));
        var diff = v - Vector.Min(r, Vector.Min(g, b));
        var s = diff / (Vector.Abs(v) + epsilon);
        var scale = new Vector<float>(60f) / (diff + epsilon);
        var isR = Vector.Equals(v, r);
        var isG = Vector.Equals(v, g);
        var h = Vector.ConditionalSelect(isR, (g - b) * scale,
            Vector.ConditionalSelect(isG, (b - r) * scale + new Vector<float>(120f), (r - g) * scale + new Vector<float>(240f)));
        var full = new Vector<float>(360f);
        h = Vector.ConditionalSelect(Vector.LessThan(h, Vector<float>.Zero), h + full, h);

        s *= new Vector<float>(p.Saturation);
        h += new Vector<float>(p.Hue);
        h = Vector.ConditionalSelect(Vector.GreaterThan(h, full), h - full,
            Vector.ConditionalSelect(Vector.LessThan(h, Vector<float>.Zero), h + full, h));

        var six = new Vector<float>(6f);
        h *= new Vector<float>(6f / 360f);
        h = Vector.ConditionalSelect(Vector.LessThan(h, Vector<float>.Zero), h + six, h);
        h = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(h, six), h - six, h);
        var sector = Vector.Floor(h);
        var f = h - sector;
        var one = Vector<float>.One;
        var t0 = v;
        var t1 = v * (one - s);
        var t2 = v * (one - s * f);
        var t3 = v * (one - s * (one - f));
        var s0 = Vector.Equals(sector, Vector<float>.Zero);
        var s1 = Vector.Equals(sector, one);
        var s2 = Vector.Equals(sector, new Vector<float>(2f));
        var s3 = Vector.Equals(sector, new Vector<float>(3f));
        var s4 = Vector.Equals(sector, new Vector<float>(4f));
        var s5 = Vector.Equals(sector, new Vector<float>(5f));
        r = Vector.ConditionalSelect(s0 | s5, t0, Vector.ConditionalSelect(s1, t2, Vector.ConditionalSelect(s2 | s3, t1, t3)));
        g = Vector.ConditionalSelect(s1 | s2, t0, Vector.ConditionalSelect(s0, t3, Vector.ConditionalSelect(s3, t2, t1)));
        b = Vector.ConditionalSelect(s3 | s4, t0, Vector.ConditionalSelect(s0 | s1, t1, Vector.ConditionalSelect(s2, t3, t2)));
        // OpenCV returns v itself for a grey pixel; t1 = t2 = t3 = v already when s is 0.
        (r * after).CopyTo(rs);
        (g * after).CopyTo(gs);
        (b * after).CopyTo(bs);
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
