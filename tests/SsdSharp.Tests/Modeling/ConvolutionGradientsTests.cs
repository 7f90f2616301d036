using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Modeling;

// Alone: the backward pass switches libtorch's process-wide oneDNN flag, and a convolution running
// forward beside it would change backend (and rounding) between the two runs compared here.
[Collection(GlobalRandomCollection.Name)]
public sealed class ConvolutionGradientsTests
{
    /// <summary>
    /// Guards the oneDNN workaround: on an AMD Zen 5 libtorch's oneDNN gave NaN or 20–100 % wrong input
    /// gradients in the tiny network's 6- to 24-channel convolutions, differently from run to run.
    /// </summary>
    [Fact]
    public void TrainingStepGradientsAreRepeatableFiniteAndMatchAFloat64Reference()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var network = new SsdNetwork(TinyConfig.Create());
        network.Initialize();
        network.train();
        using var generator = new Generator(11);
        var images = randn([2, 3, 300, 300], generator: generator) * 50;
        // A loss that weighs every output of both heads, so that every parameter gets a gradient.
        var (loc, conf) = network.call(images);
        var locWeights = randn(loc.shape, generator: generator);
        var confWeights = randn(conf.shape, generator: generator);

        var first = Gradients(network, images, locWeights, confWeights);
        var second = Gradients(network, images, locWeights, confWeights);
        network.to(float64);
        var reference = Gradients(network, images.to(float64), locWeights.to(float64), confWeights.to(float64));

        // Biases of convolutions followed by batch norm have a true gradient of zero: judge every
        // parameter's error against at least a thousandth of the largest gradient in the network.
        double largest = reference.Values.Max(g => g.abs().max().item<double>());
        foreach (var (name, expected) in reference)
        {
            Assert.True(first[name].isfinite().all().item<bool>(), $"{name}: non-finite gradient");
            Assert.True(first[name].eq(second[name]).all().item<bool>(), $"{name}: the same step gave another gradient the second time");
            double scale = Math.Max(expected.abs().max().item<double>(), 1e-3 * largest);
            TensorAssert.Close(expected, first[name], atol: 1e-3 * scale, what: $"gradient of {name}");
        }
    }

    private static Dictionary<string, Tensor> Gradients(SsdNetwork network, Tensor images, Tensor locWeights, Tensor confWeights)
    {
        network.zero_grad();
        var (loc, conf) = network.call(images);
        ConvolutionGradients.Backward((loc * locWeights).sum() + (conf * confWeights).sum());
        return network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().to(float64, copy: true));
    }
}
