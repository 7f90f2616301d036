namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// What calibration observed of one tensor over all images: its minimum and maximum, and (for the
/// percentile and entropy methods) a histogram of |x| over <c>[0, <see cref="Bound"/>]</c> in
/// <see cref="Counts"/>.Length equal bins, the last bin closed. Counts are integers, so adding
/// batches in any order gives the same histogram.
/// </summary>
public sealed class TensorHistogram
{
    /// <summary>A histogram of |x| over <c>[0, max(|min|, |max|)]</c> with <paramref name="bins"/> bins, for values seen in <c>[<paramref name="min"/>, <paramref name="max"/>]</c>.</summary>
    public TensorHistogram(float min, float max, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin");
        Min = min;
        Max = max;
        Bound = Math.Max(Math.Abs(min), Math.Abs(max));
        Counts = new long[bins];
    }

    /// <summary>Smallest value observed.</summary>
    public float Min { get; }

    /// <summary>Largest value observed.</summary>
    public float Max { get; }

    /// <summary>Largest magnitude observed: the upper edge of the last bin.</summary>
    public float Bound { get; }

    /// <summary>Number of values of |x| per bin.</summary>
    public long[] Counts { get; }

    /// <summary>Width of a bin (0 when every value is 0).</summary>
    public double BinWidth => (double)Bound / Counts.Length;

    /// <summary>Adds the magnitudes of <paramref name="values"/>; those above <see cref="Bound"/> fall in the last bin.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        int last = Counts.Length - 1;
        if (Bound == 0)
        {
            Counts[0] += values.Length;
            return;
        }
        double perUnit = Counts.Length / (double)Bound;
        foreach (var v in values)
        {
            // (int) of a value ≥ 2^31 is undefined in C#; Math.Min first keeps the index in range.
            int bin = (int)Math.Min(Math.Abs(v) * perUnit, last);
            Counts[bin]++;
        }
    }
}
