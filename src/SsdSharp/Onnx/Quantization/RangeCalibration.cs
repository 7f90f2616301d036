namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// The range of an activation tensor from its observations, by <see cref="CalibrationMethod"/>.
/// Percentile and entropy choose a threshold T on |x|; the range is then <c>[−T, T]</c> cut to the
/// observed <c>[min, max]</c>, so that a tensor that is never negative (after ReLU) gets <c>[0, T]</c>
/// and all of the 8-bit steps.
/// </summary>
public static class RangeCalibration
{
    /// <summary>The range of a tensor: <paramref name="histogram"/> holds its min, max and histogram of |x|.</summary>
    /// <param name="histogram">The observations.</param>
    /// <param name="method">How to choose.</param>
    /// <param name="percentile">Percentile method: share of |x| kept inside the range, in percent.</param>
    public static ActivationRange Range(TensorHistogram histogram, CalibrationMethod method, double percentile)
    {
        if (method == CalibrationMethod.MinMax) return new ActivationRange(histogram.Min, histogram.Max);
        double threshold = method == CalibrationMethod.Percentile
            ? PercentileThreshold(histogram, percentile)
            : EntropyThreshold(histogram, histogram.Min >= 0 ? 256 : 128);
        return new ActivationRange((float)Math.Max(histogram.Min, -threshold), (float)Math.Min(histogram.Max, threshold));
    }

    /// <summary>
    /// The smallest bin edge below which at least <paramref name="percentile"/> percent of the values'
    /// magnitudes lie (the upper edge of the bin where the cumulative count reaches that share).
    /// </summary>
    public static double PercentileThreshold(TensorHistogram histogram, double percentile)
    {
        if (percentile is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentage in (0, 100]");
        var counts = histogram.Counts;
        long total = counts.Sum();
        if (total == 0) return histogram.Bound;
        double wanted = total * percentile / 100;
        long cumulative = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            // A relative tolerance: total · 99.999 / 100 is not exact in binary.
            if (cumulative >= wanted * (1 - 1e-12)) return (i + 1) * histogram.BinWidth;
        }
        return histogram.Bound;
    }

    /// <summary>
    /// TensorRT's entropy calibration on the histogram of |x|: for each candidate threshold (a bin edge
    /// i from <paramref name="levels"/> to the number of bins), the reference distribution P is the
    /// histogram cut at i with everything beyond added to its last bin; Q is that histogram merged into
    /// <paramref name="levels"/> quantization levels and spread back evenly over each level's non-empty
    /// bins. The threshold is the edge with the smallest KL(P ‖ Q). With no more bins than levels
    /// nothing is lost by quantizing and the whole range is kept.
    /// </summary>
    /// <param name="histogram">The observations.</param>
    /// <param name="levels">Quantization levels over <c>[0, T]</c>: 128 for a signed tensor in 8 bits, 256 for a non-negative one.</param>
    public static double EntropyThreshold(TensorHistogram histogram, int levels)
    {
        var counts = histogram.Counts;
        int bins = counts.Length;
        if (bins <= levels || counts.Sum() == 0) return histogram.Bound;
        int best = bins;
        double bestDivergence = double.PositiveInfinity;
        var p = new double[bins];
        var q = new double[bins];
        var below = new long[bins + 1];
        for (int i = 0; i < bins; i++) below[i + 1] = below[i] + counts[i];
        for (int i = levels; i <= bins; i++)
        {
            long beyond = below[bins] - below[i];
            for (int j = 0; j < i; j++) p[j] = counts[j];
            p[i - 1] += beyond;
            Quantize(counts, i, levels, q);
            double divergence = KullbackLeibler(p.AsSpan(0, i), q.AsSpan(0, i));
            // Strictly smaller: ties keep the smaller threshold (finer steps).
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                best = i;
            }
        }
        return best * histogram.BinWidth;
    }

    /// <summary>
    /// The first <paramref name="width"/> bins merged into <paramref name="levels"/> levels of
    /// width / levels bins each (the last level takes the remainder), each level's count spread evenly
    /// over its non-empty bins (empty bins stay empty: zero is represented exactly).
    /// </summary>
    private static void Quantize(long[] counts, int width, int levels, double[] q)
    {
        int merged = width / levels;
        for (int level = 0; level < levels; level++)
        {
            int start = level * merged, end = level == levels - 1 ? width : start + merged;
            long sum = 0;
            int nonEmpty = 0;
            for (int j = start; j < end; j++)
            {
                sum += counts[j];
                if (counts[j] != 0) nonEmpty++;
            }
            for (int j = start; j < end; j++) q[j] = counts[j] != 0 ? (double)sum / nonEmpty : 0;
        }
    }

    /// <summary>
    /// KL(P ‖ Q) of two histograms, each normalised to sum 1. Where Q is 0 and P is not (only the last
    /// bin, which received the clipped values, can be), Q borrows a small mass so that the divergence stays finite.
    /// </summary>
    internal static double KullbackLeibler(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        const double Epsilon = 1e-4;
        double pSum = 0, qSum = 0;
        for (int j = 0; j < p.Length; j++)
        {
            pSum += p[j];
            qSum += q[j] == 0 && p[j] != 0 ? Epsilon : q[j];
        }
        if (pSum == 0 || qSum == 0) return 0;
        double divergence = 0;
        for (int j = 0; j < p.Length; j++)
        {
            if (p[j] == 0) continue;
            double pj = p[j] / pSum, qj = (q[j] == 0 ? Epsilon : q[j]) / qSum;
            divergence += pj * Math.Log(pj / qj);
        }
        return divergence;
    }
}
