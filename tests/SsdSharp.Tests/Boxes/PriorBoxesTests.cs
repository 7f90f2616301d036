using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Boxes;

public class PriorBoxesTests
{
    [Theory]
    [InlineData("voc300", "priors_voc300.safetensors")]
    [InlineData("coco300", "priors_coco300.safetensors")]
    public void MatchesReferencePriors(string config, string fixture)
    {
        using var expected = Fixtures.LoadTensors(fixture)["priors"];
        using var actual = DefaultBoxes.For(SsdConfig.Load(config)).ToTensor();
        TensorAssert.Close(expected, actual, atol: 1e-6, what: $"{config} priors");
    }

    [Theory]
    [InlineData("voc300", 8732)]
    [InlineData("coco300", 8732)]
    [InlineData("voc512", 24564)]
    [InlineData("coco512", 24564)]
    [InlineData("shapes300", 8732)]
    [InlineData("shapes512", 24656)]
    public void CountEqualsDerivedTotal(string config, int total)
    {
        var c = SsdConfig.Load(config);
        var priors = DefaultBoxes.For(c);
        Assert.Equal(total, c.NumPriors);
        Assert.Equal(total, priors.Count);
        Assert.Equal(total * 4, priors.CenterForm.Length);
    }

    [Fact]
    public void TorchvisionClampsOnlySizesSoThatCentresPastTheLastStepStay()
    {
        // The 10×10 source has step 32: its last column's centre is 9.5 · 32 / 300 = 1.0133 of the image.
        var sizesOnly = DefaultBoxes.For(SsdPresets.Torchvision300).CenterForm;
        var all = DefaultBoxes.For(SsdPresets.Coco300).CenterForm;
        int lastColumn = (38 * 38 * 4 + 19 * 19 * 6 + 9 * 6) * 4;
        Assert.Equal(9.5 * 32 / 300, sizesOnly[lastColumn], 6);
        Assert.Equal(1f, all[lastColumn]);
        Assert.All(sizesOnly.Where((_, i) => i % 4 >= 2), v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(sizesOnly.Where((_, i) => i % 4 >= 2), v => v == 1f);
    }

    [Fact]
    public void CoderClampsSizeOffsetsAndClipsOnlyWhenConfigured()
    {
        float[] priors = [0.5f, 0.5f, 0.2f, 0.2f];
        float[] loc = [30f, 0f, 100f, 0f]; // far right, and a size offset far past the clamp
        var plain = new float[4];
        var torchvision = new float[4];
        new BoxCoder().Decode(loc, priors, plain);
        DefaultBoxes.For(SsdPresets.Torchvision300).Coder.Decode(loc, priors, torchvision);

        Assert.Equal(0.5f + 30f * 0.1f * 0.2f - 0.2f * MathF.Exp(20f) / 2, plain[0], 0);
        Assert.True(plain[2] > 1e7f);
        // exp(min(100 · 0.2, log(1000/16))) = 62.5 times the prior, then clipped to the image.
        Assert.Equal([0f, 0.5f - 0.1f, 1f, 0.5f + 0.1f], torchvision, new FloatTolerance(1e-6f));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
