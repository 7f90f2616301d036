namespace SsdSharp.Boxes;

/// <summary>
/// Encodes ground-truth boxes as offsets from default boxes and back (SPEC §3), with the
/// variances of the configuration (0.1 for centres, 0.2 for sizes in the reference).
/// This is the host (array) side, used by post-processing; matching encodes on tensors with the same rule.
/// </summary>
/// <param name="centerVariance">Variance of the centre offsets.</param>
/// <param name="sizeVariance">Variance of the log-size offsets.</param>
public sealed class BoxCoder(double centerVariance = 0.1, double sizeVariance = 0.2)
{
    /// <summary>Variance of the centre offsets.</summary>
    public double CenterVariance { get; } = centerVariance;

    /// <summary>Variance of the log-size offsets.</summary>
    public double SizeVariance { get; } = sizeVariance;

    /// <summary>
    /// Corner-form boxes <c>[P, 4]</c> (x1, y1, x2, y2; normalised, unclipped) from predicted offsets
    /// <paramref name="loc"/> <c>[P, 4]</c> and <paramref name="priors"/> (centre form <c>[P, 4]</c>, normalised),
    /// written into <paramref name="corners"/>.
    /// </summary>
    public void Decode(ReadOnlySpan<float> loc, ReadOnlySpan<float> priors, Span<float> corners)
    {
        if (loc.Length != priors.Length || corners.Length != priors.Length)
            throw new ArgumentException($"offsets ({loc.Length}), priors ({priors.Length}) and output ({corners.Length}) must have the same length");
        // float32 with the variances rounded once, in the order libtorch evaluates
        // prior_c + loc_c · v · prior_wh, so that results agree with the reference's to the last bits.
        float cv = (float)CenterVariance, sv = (float)SizeVariance;
        for (int i = 0; i < priors.Length; i += 4)
        {
            float pw = priors[i + 2], ph = priors[i + 3];
            float cx = priors[i] + loc[i] * cv * pw;
            float cy = priors[i + 1] + loc[i + 1] * cv * ph;
            float w = pw * MathF.Exp(loc[i + 2] * sv);
            float h = ph * MathF.Exp(loc[i + 3] * sv);
            float x1 = cx - w / 2, y1 = cy - h / 2;
            corners[i] = x1;
            corners[i + 1] = y1;
            corners[i + 2] = x1 + w;
            corners[i + 3] = y1 + h;
        }
    }
}
