using SsdSharp.Configuration;
using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Modeling;

// Alone: the backward pass switches libtorch's process-wide oneDNN flag, and a convolution running
// forward beside it would change backend (and rounding) between the two runs compared here.
[Collection(GlobalRandomCollection.Name)]
public sealed class OneDnnConvolutionsTests
{
    /// <summary>
    /// Guards the oneDNN workarounds: on an AMD Zen 5 libtorch's oneDNN gave NaN or 20–100 % wrong input
    /// gradients in the tiny network's 6- to 24-channel convolutions, and wrong outputs of convolutions with 24 or
    /// 40 input channels, differently from run to run. Both routes: the network's own (channels padded where that
    /// suffices) and the one for any network (oneDNN off in the backward pass).
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void TrainingStepGradientsAreRepeatableFiniteAndMatchAFloat64Reference(bool networkBackward, bool oddChannels)
    {
        using var scope = NewDisposeScope();
        var (network, images, locWeights, confWeights) = TrainingNetwork(oddChannels ? OddChannels() : TinyConfig.Create(), seed: 4);
        using var _ = network;

        var first = Gradients(network, images, locWeights, confWeights, networkBackward);
        var second = Gradients(network, images, locWeights, confWeights, networkBackward);
        network.to(float64);
        var reference = Gradients(network, images.to(float64), locWeights.to(float64), confWeights.to(float64), networkBackward);

        // Biases of convolutions followed by batch norm have a true gradient of zero, which float32 sums over a
        // batch's pixels reach only to rounding noise: judge every parameter's error against at least a hundredth
        // of the largest gradient in the network.
        double largest = reference.Values.Max(g => g.abs().max().item<double>());
        foreach (var (name, expected) in reference)
        {
            Assert.True(first[name].isfinite().all().item<bool>(), $"{name}: non-finite gradient");
            Assert.True(first[name].eq(second[name]).all().item<bool>(), $"{name}: the same step gave another gradient the second time");
            double scale = Math.Max(expected.abs().max().item<double>(), 1e-2 * largest);
            TensorAssert.Close(expected, first[name], atol: 1e-3 * scale, what: $"gradient of {name}");
        }
    }

    /// <summary>
    /// The first backward pass of a network on the CPU runs twice to compare oneDNN with libtorch's own convolutions;
    /// gradients that parameters held before (accumulated over several batches) must survive it, once.
    /// </summary>
    [Fact]
    public void TheComparingBackwardPassAddsToEarlierGradientsOnce()
    {
        using var scope = NewDisposeScope();
        var (network, images, locWeights, confWeights) = TrainingNetwork(TinyConfig.Create(), seed: 6);
        using var _ = network;
        var parameters = network.named_parameters().ToList();

        OneDnnConvolutions.BackwardWithoutOneDnn(Loss(network, images, locWeights, confWeights));
        var once = parameters.Select(p => p.parameter.grad!.clone()).ToList();
        bool agree = OneDnnConvolutions.BackwardAgreesWithoutOneDnn(Loss(network, images, locWeights, confWeights), parameters, network.BiasesBeforeBatchNorm());

        Assert.True(agree, "oneDNN with padded channels disagreed with libtorch's own convolutions on the tiny network");
        double largest = once.Max(g => g.abs().max().item<float>());
        for (int i = 0; i < parameters.Count; i++)
        {
            double scale = Math.Max(once[i].abs().max().item<float>(), 1e-2 * largest);
            TensorAssert.Close(2 * once[i], parameters[i].parameter.grad!, atol: 2e-3 * scale, what: $"accumulated gradient of {parameters[i].name}");
        }
    }

    /// <summary>
    /// Inference too: a network whose convolutions have 24 and 40 input channels gives a float64 network's outputs.
    /// </summary>
    [Fact]
    public void InferenceWithChannelCountsOneDnnGotWrongMatchesFloat64()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        manual_seed(5);
        using var network = new SsdNetwork(OddChannels());
        network.Initialize();
        network.eval();
        using var generator = new Generator(12);
        RandomBiases(network, generator);
        var images = randn([2, 3, 300, 300], generator: generator) * 50;
        var (loc, conf) = network.call(images);
        network.to(float64);
        var (expectedLoc, expectedConf) = network.call(images.to(float64));
        CloseToFloat64(expectedLoc, loc, "loc");
        CloseToFloat64(expectedConf, conf, "conf");
    }

    /// <summary>
    /// The zero channels that <see cref="OneDnnConvolutions"/> appends must leave a convolution's output and gradients
    /// as they are, and with them oneDNN's float32 results must be right for the channel counts that it got wrong on a
    /// Zen 5 (4 to 126 outputs backward, 24 and 40 inputs forward), with and without padding and dilation.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    [InlineData(6, 6)]
    public void PaddedChannelsGiveTheConvolutionAndItsFloat64Gradients(int padding, int dilation)
    {
        using var generator = new Generator(5);
        foreach (int inChannels in new[] { 3, 16, 24, 40, 128, 512 })
        foreach (int outChannels in new[] { 4, 6, 8, 12, 20, 24, 36, 84, 126 })
        {
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            long[] stride = [1, 1], paddings = [padding, padding], dilations = [dilation, dilation];
            var input = randn([2, inChannels, 19, 19], generator: generator);
            var weight = randn([outChannels, inChannels, 3, 3], generator: generator);
            var bias = randn([outChannels], generator: generator);
            long size = 19 + 2 * padding - 2 * dilation;
            var gradOutput = randn([2, outChannels, size, size], generator: generator);
            string what = $"{inChannels} → {outChannels} channels, padding {padding}, dilation {dilation}";

            long extraInputs = inChannels > OneDnnConvolutions.ChannelMultiple ? OneDnnConvolutions.MissingChannels(inChannels) : 0;
            long extraOutputs = OneDnnConvolutions.MissingChannels(outChannels);
            var (output, gradients) = Run((x, w, b) => OneDnnConvolutions.PaddedConvolution(x, w, b, stride, paddings, dilations, extraInputs, extraOutputs),
                input, weight, bias, gradOutput);
            var (expectedOutput, expected) = Run((x, w, b) => nn.functional.conv2d(x, w, b, stride, paddings, dilations),
                input.to(float64), weight.to(float64), bias.to(float64), gradOutput.to(float64));

            Assert.Equal(expectedOutput.shape, output.shape);
            CloseToFloat64(expectedOutput, output, $"output of {what}");
            string[] names = ["input", "weight", "bias"];
            for (int i = 0; i < names.Length; i++)
                CloseToFloat64(expected[i], gradients[i], $"{names[i]} gradient of {what}");
        }
    }

    /// <summary>
    /// The wiring on any CPU: a convolution given both remedies (24 inputs, 12 outputs: both padded) keeps its
    /// output, bias included, and the gradients of its input, weight and bias, against float64; outputs are padded
    /// only while gradients are recorded.
    /// </summary>
    [Fact]
    public void ConvolveWithRemediesGivesTheConvolution()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(21);
        using var conv = nn.Conv2d(24, 12, 3, padding: 1);
        using (no_grad())
        {
            conv.weight!.copy_(randn(conv.weight.shape, generator: generator));
            conv.bias!.copy_(randn(conv.bias.shape, generator: generator));
        }
        var input = randn([2, 24, 19, 19], generator: generator);
        var gradOutput = randn([2, 12, 19, 19], generator: generator);
        const OneDnnRemedies both = OneDnnRemedies.PadInputChannels | OneDnnRemedies.PadOutputChannels;
        var (output, gradients) = Run((x, w, b) => OneDnnConvolutions.Convolve(conv, x, both), input, conv.weight!, conv.bias!, gradOutput);
        var gradientsOfConv = new[] { conv.weight!.grad!.clone(), conv.bias!.grad!.clone() };
        var (expectedOutput, expected) = Run((x, w, b) => nn.functional.conv2d(x, w, b, padding: [1, 1]),
            input.to(float64), conv.weight!.to(float64), conv.bias!.to(float64), gradOutput.to(float64));

        CloseToFloat64(expectedOutput, output, "output");
        CloseToFloat64(expected[0], gradients[0], "input gradient");
        CloseToFloat64(expected[1], gradientsOfConv[0], "weight gradient");
        CloseToFloat64(expected[2], gradientsOfConv[1], "bias gradient");
        using (no_grad()) Assert.Equal([2L, 12, 19, 19], OneDnnConvolutions.Convolve(conv, input, both).shape);
    }

    /// <summary>The comparison of the first backward pass: rounding differences agree, a fault of 3 % or a NaN does not, and a parameter left out is not compared.</summary>
    [Fact]
    public void GradientsAgreeTellsRoundingFromFaults()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(22);
        Tensor?[] without = [randn([64, 3, 3, 3], generator: generator), randn([64], generator: generator) * 1e-6];
        Tensor?[] Changed(int index, Tensor by) => [.. without.Select((g, i) => i == index ? g! + by : g!.clone())];

        Assert.True(OneDnnConvolutions.GradientsAgree(Changed(0, without[0]! * 1e-3), without), "a 0.1 % difference is rounding");
        Assert.False(OneDnnConvolutions.GradientsAgree(Changed(0, without[0]! * 0.03), without), "a 3 % error is a fault");
        Assert.False(OneDnnConvolutions.GradientsAgree(Changed(0, full([64, 3, 3, 3], double.NaN)), without), "NaN is a fault");
        Assert.True(OneDnnConvolutions.GradientsAgree(Changed(1, full([64], 1e-4)), without), "the second gradient is below a hundredth of the largest: its noise is judged against that");
        Assert.False(OneDnnConvolutions.GradientsAgree(Changed(1, full([64], 1.0)), without), "an error as large as the largest gradient is a fault anywhere");
        Assert.True(OneDnnConvolutions.GradientsAgree(Changed(1, full([64], 1.0)), [without[0], null]), "a parameter left out is not compared");
    }

    /// <summary>Float32 <paramref name="actual"/> within 1e-4 of the largest magnitude of float64 <paramref name="expected"/>.</summary>
    private static void CloseToFloat64(Tensor expected, Tensor actual, string what) =>
        TensorAssert.Close(expected, actual.to(float64), atol: 1e-4 * expected.abs().max().item<double>(), what: what);

    private static (Tensor Output, Tensor[] Gradients) Run(Func<Tensor, Tensor, Tensor, Tensor> convolution, Tensor input, Tensor weight, Tensor bias, Tensor gradOutput)
    {
        var x = input.detach().requires_grad_();
        var w = weight.detach().requires_grad_();
        var b = bias.detach().requires_grad_();
        var output = convolution(x, w, b);
        output.backward([gradOutput]);
        return (output.detach(), [x.grad!, w.grad!, b.grad!]);
    }

    /// <summary>The tiny network with 24 and 40 channels, counts whose convolutions oneDNN got wrong forward on a Zen 5.</summary>
    private static SsdConfig OddChannels() => TinyConfig.Create() with
    {
        BaseLayers = "8 M 24 M 40 C 24 M 40".Split(' ').Select(BaseLayer.Parse).ToArray(),
        FcChannels = 24,
        Extras = [new(40, 1), new(24, 3, 2, 1), new(40, 1), new(24, 3, 2, 1), new(8, 1), new(24, 3), new(8, 1), new(40, 3)],
    };

    /// <summary>A network initialised and in training mode, two random images and weights for a loss over every output.</summary>
    private static (SsdNetwork Network, Tensor Images, Tensor LocWeights, Tensor ConfWeights) TrainingNetwork(SsdConfig config, int seed)
    {
        manual_seed(seed);
        var network = new SsdNetwork(config);
        network.Initialize();
        network.train();
        // Zero biases (Initialize's): the float32 network then matches float64 to 1e-3 (with random ones to about 3e-3);
        // the padding's handling of biases is checked by the inference and Convolve tests.
        using var generator = new Generator((ulong)seed + 7);
        var images = randn([2, 3, 300, 300], generator: generator) * 50;
        var (loc, conf) = network.call(images);
        return (network, images, randn(loc.shape, generator: generator), randn(conf.shape, generator: generator));
    }

    /// <summary>Biases other than <see cref="SsdNetwork.Initialize"/>'s zeros, so that a bias lost or misplaced by the padding shows.</summary>
    private static void RandomBiases(SsdNetwork network, Generator generator)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.copy_(randn(parameter.shape, generator: generator) * 0.1);
    }

    /// <summary>A loss that weighs every output of both heads, so that every parameter gets a gradient.</summary>
    private static Tensor Loss(SsdNetwork network, Tensor images, Tensor locWeights, Tensor confWeights)
    {
        var (loc, conf) = network.call(images);
        return (loc * locWeights).sum() + (conf * confWeights).sum();
    }

    private static Dictionary<string, Tensor> Gradients(SsdNetwork network, Tensor images, Tensor locWeights, Tensor confWeights, bool networkBackward)
    {
        network.zero_grad();
        var loss = Loss(network, images, locWeights, confWeights);
        if (networkBackward) network.Backward(loss);
        else OneDnnConvolutions.Backward(loss);
        return network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().to(float64, copy: true));
    }
}
