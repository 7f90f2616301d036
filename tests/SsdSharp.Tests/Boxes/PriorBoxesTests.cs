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
    public void CountEqualsDerivedTotal(string config, int total)
    {
        var c = SsdConfig.Load(config);
        var priors = DefaultBoxes.For(c);
        Assert.Equal(total, c.NumPriors);
        Assert.Equal(total, priors.Count);
        Assert.Equal(total * 4, priors.CenterForm.Length);
    }
}
