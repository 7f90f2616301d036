using SsdSharp.Onnx.Quantization;

namespace SsdSharp.Tests.Onnx.Quantization;

/// <summary>The three calibration methods on histograms small enough to compute by hand.</summary>
public class RangeCalibrationTests
{
    private static TensorHistogram Histogram(float[] values, int bins)
    {
        var histogram = new TensorHistogram(values.Min(), values.Max(), bins);
        histogram.Add(values);
        return histogram;
    }

    [Fact]
    public void HistogramCountsMagnitudesWithTheLargestInTheLastBin()
    {
        // Bound 4, 4 bins of width 1: |−0.5| → 0, 1.5 → 1, |−2| → 2, 3.99 → 3, 4 (the bound) → 3.
        var histogram = Histogram([-0.5f, 1.5f, -2f, 3.99f, 4f], 4);
        Assert.Equal(4f, histogram.Bound);
        Assert.Equal([1L, 1, 1, 2], histogram.Counts);
    }

    [Fact]
    public void MinMaxIsTheObservedRange()
    {
        var range = RangeCalibration.Range(Histogram([-3f, 0.5f, 7f], 256), CalibrationMethod.MinMax, 99.9);
        Assert.Equal(new ActivationRange(-3f, 7f), range);
    }

    [Fact]
    public void PercentileEndsAtTheBinWhereTheShareIsReached()
    {
        var values = Enumerable.Range(1, 100).Select(v => (float)v).ToArray();
        var histogram = Histogram(values, 100);
        // Bins [k, k + 1): values 1…98 fill bins 1…98 (98 values); bin 99 holds 99 and 100 (the bound).
        Assert.Equal(99.0, RangeCalibration.PercentileThreshold(histogram, 98), 9);
        Assert.Equal(100.0, RangeCalibration.PercentileThreshold(histogram, 99), 9);
        // 50 %: the 50th value (50) is in bin 50, whose upper edge is 51.
        Assert.Equal(51.0, RangeCalibration.PercentileThreshold(histogram, 50), 9);
    }

    [Fact]
    public void PercentileOfASignedTensorIsSymmetricAndCutToTheObservedRange()
    {
        // 1…999 and one value at −1000, bins of width 1: bins 1…998 hold one value each, so 99.8 % is
        // reached at the upper edge of bin 998, 999.
        var values = Enumerable.Range(1, 999).Select(v => (float)v).Append(-1000f).ToArray();
        var range = RangeCalibration.Range(Histogram(values, 1000), CalibrationMethod.Percentile, 99.8);
        Assert.Equal(-999f, range.Min, 3);
        Assert.Equal(999f, range.Max, 3);
        // A tensor that is never negative (after ReLU) keeps 0 as its lower end: 0…999 in bins of
        // width 0.999, value v in bin v; half the values are in bins 0…499, whose upper edge is 500 · 0.999.
        var relu = RangeCalibration.Range(Histogram(Enumerable.Range(0, 1000).Select(v => (float)v).ToArray(), 1000), CalibrationMethod.Percentile, 50);
        Assert.Equal(0f, relu.Min);
        Assert.Equal(499.5f, relu.Max, 3);
    }

    [Fact]
    public void EntropyKeepsTheWholeRangeWhenNothingIsLostByQuantizing()
    {
        // As many bins as levels: every candidate but the full range would clip.
        var histogram = Histogram(Enumerable.Range(0, 1000).Select(v => v / 1000f).ToArray(), 128);
        Assert.Equal(histogram.Bound, RangeCalibration.EntropyThreshold(histogram, 128), 6);
    }

    [Fact]
    public void EntropyOfAUniformDistributionKeepsItsRange()
    {
        // Uniform on [0, 1]: any clipping piles mass into the last bin, which quantization cannot represent.
        var values = Enumerable.Range(0, 20480).Select(v => v / 20480f).ToArray();
        var histogram = Histogram(values, 2048);
        Assert.Equal(histogram.Bound, RangeCalibration.EntropyThreshold(histogram, 128), 2);
    }

    [Fact]
    public void EntropyClipsARareFarOutlier()
    {
        // 100,000 values uniform on [0, 1] and one at 100: the histogram's bound is 100, but the
        // divergence is smallest with the threshold just above the bulk (≈ 1), not at the outlier.
        var values = Enumerable.Range(0, 100_000).Select(v => v / 100_000f).Append(100f).ToArray();
        var histogram = Histogram(values, 2048);
        double threshold = RangeCalibration.EntropyThreshold(histogram, 128);
        Assert.InRange(threshold, 1.0, 7.0);
    }

    [Fact]
    public void KullbackLeiblerIsZeroForEqualDistributionsAndMatchesAHandComputedCase()
    {
        Assert.Equal(0, RangeCalibration.KullbackLeibler([1, 2, 3], [2, 4, 6]), 12);
        // P = (1/2, 1/2), Q = (1/4, 3/4): ½ ln 2 + ½ ln(2/3).
        Assert.Equal(0.5 * Math.Log(2) + 0.5 * Math.Log(2.0 / 3), RangeCalibration.KullbackLeibler([1, 1], [1, 3]), 12);
    }
}
