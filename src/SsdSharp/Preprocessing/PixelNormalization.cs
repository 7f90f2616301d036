namespace SsdSharp.Preprocessing;

/// <summary>
/// <c>(v / divisor − mean) / std</c> per colour channel (R, G, B), in float32 in that order, as both
/// reference transforms compute it. The identity (divisor 1, mean 0, std 1) returns values bit for bit.
/// </summary>
internal readonly struct PixelNormalization
{
    private readonly float _divisor;
    private readonly float _meanR, _meanG, _meanB;
    private readonly float _stdR, _stdG, _stdB;

    // Divisions by 1 change nothing but cost time in the per-pixel loops (the reference's case): skipped.
    private readonly bool _meansOnly;

    private PixelNormalization(float divisor, float meanR, float meanG, float meanB, float stdR, float stdG, float stdB)
    {
        _divisor = divisor;
        (_meanR, _meanG, _meanB) = (meanR, meanG, meanB);
        (_stdR, _stdG, _stdB) = (stdR, stdG, stdB);
        _meansOnly = divisor == 1 && stdR == 1 && stdG == 1 && stdB == 1;
    }

    /// <summary>No change.</summary>
    public static PixelNormalization Identity { get; } = new(1, 0, 0, 0, 1, 1, 1);

    /// <summary>The normalisation of <paramref name="format"/>, for 8-bit R, G, B values.</summary>
    public static PixelNormalization Of(NetworkInputFormat format)
    {
        int r = format.IsBgr ? 2 : 0, b = format.IsBgr ? 0 : 2;
        return new PixelNormalization((float)(255 / format.PixelRange),
            (float)format.Means[r], (float)format.Means[1], (float)format.Means[b],
            (float)format.Stds[r], (float)format.Stds[1], (float)format.Stds[b]);
    }

    public float R(float value) => _meansOnly ? value - _meanR : (value / _divisor - _meanR) / _stdR;

    public float G(float value) => _meansOnly ? value - _meanG : (value / _divisor - _meanG) / _stdG;

    public float B(float value) => _meansOnly ? value - _meanB : (value / _divisor - _meanB) / _stdB;

    /// <summary>Normalises interleaved R, G, B values from <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i += 3)
        {
            destination[i] = R(source[i]);
            destination[i + 1] = G(source[i + 1]);
            destination[i + 2] = B(source[i + 2]);
        }
    }
}
