using static TorchSharp.torch;

namespace SsdSharp.Tests.Infrastructure;

internal static class TensorAssert
{
    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| everywhere, reporting the worst element.</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol = 0, double atol = 1e-6, string what = "tensor")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.to(ScalarType.Float64);
        using var a = actual.to(ScalarType.Float64);
        using var diff = (a - e).abs();
        using var bound = e.abs() * rtol + atol;
        using var excess = diff - bound;
        double worst = excess.max().item<double>();
        if (worst > 0)
        {
            long index = excess.argmax().item<long>();
            using var flatE = e.flatten();
            using var flatA = a.flatten();
            Assert.Fail($"{what}: element {index} is {flatA[index].item<double>():G9}, expected {flatE[index].item<double>():G9} " +
                        $"(max |diff| {diff.max().item<double>():G3}, rtol {rtol}, atol {atol})");
        }
    }
}
