namespace SsdSharp.Tests.Infrastructure;

internal static class ArrayAssert
{
    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| everywhere, reporting the worst element.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = -1;
        double worstExcess = 0, maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)actual[i] - expected[i]);
            maxDiff = Math.Max(maxDiff, diff);
            double excess = diff - (atol + rtol * Math.Abs(expected[i]));
            if (excess > worstExcess || double.IsNaN(diff))
            {
                worstExcess = double.IsNaN(diff) ? double.PositiveInfinity : excess;
                worst = i;
            }
        }
        if (worst >= 0)
            Assert.Fail($"{what}: element {worst} is {actual[worst]:G9}, expected {expected[worst]:G9} (max |diff| {maxDiff:G3}, rtol {rtol}, atol {atol})");
    }
}
