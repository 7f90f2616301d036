namespace SsdSharp.Boxes;

/// <summary>
/// Encodes ground-truth boxes as offsets from default boxes and back (SPEC §3), with the
/// variances of the configuration (0.1 for centres, 0.2 for sizes in the reference). Decoding may also
/// bound the size offsets and clip the boxes to the image, as torchvision's coder and post-processing do.
/// This is the host (array) side, used by post-processing; matching encodes on tensors with the same rule.
/// </summary>
/// <param name="centerVariance">Variance of the centre offsets.</param>
/// <param name="sizeVariance">Variance of the log-size offsets.</param>
/// <param name="sizeOffsetClamp">Upper bound on a size offset times its variance before <c>exp</c>; null: none.</param>
/// <param name="clipToImage">Whether decoded corners are clamped to [0, 1].</param>
public sealed class BoxCoder(double centerVariance = 0.1, double sizeVariance = 0.2, double? sizeOffsetClamp = null, bool clipToImage = false)
{
    /// <summary>Variance of the centre offsets.</summary>
    public double CenterVariance { get; } = centerVariance;

    /// <summary>Variance of the log-size offsets.</summary>
    public double SizeVariance { get; } = sizeVariance;

    /// <summary>Upper bound on a size offset times <see cref="SizeVariance"/> before <c>exp</c> (torchvision: log(1000/16)); null: none.</summary>
    public double? SizeOffsetClamp { get; } = sizeOffsetClamp;

    /// <summary>Whether <see cref="Decode"/> clamps corners to [0, 1], that is to the image.</summary>
    public bool ClipToImage { get; } = clipToImage;

    /// <summary>
    /// Corner-form boxes <c>[P, 4]</c> (x1, y1, x2, y2; normalised, clipped only with <see cref="ClipToImage"/>) from predicted offsets
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
        // Without a clamp the bound is +∞, and min(x, +∞) is x: the reference's results, bit for bit.
        float maxSizeOffset = SizeOffsetClamp is double clamp ? (float)clamp : float.PositiveInfinity;
        for (int i = 0; i < priors.Length; i += 4)
        {
            float pw = priors[i + 2], ph = priors[i + 3];
            float cx = priors[i] + loc[i] * cv * pw;
            float cy = priors[i + 1] + loc[i + 1] * cv * ph;
            float w = pw * MathF.Exp(MathF.Min(loc[i + 2] * sv, maxSizeOffset));
            float h = ph * MathF.Exp(MathF.Min(loc[i + 3] * sv, maxSizeOffset));
            float x1 = cx - w / 2, y1 = cy - h / 2;
            corners[i] = x1;
            corners[i + 1] = y1;
            corners[i + 2] = x1 + w;
            corners[i + 3] = y1 + h;
        }
        if (ClipToImage)
        {
            for (int i = 0; i < corners.Length; i++) corners[i] = Math.Clamp(corners[i], 0f, 1f);
        }
    }
}
