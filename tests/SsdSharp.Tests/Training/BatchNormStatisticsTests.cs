using SsdSharp.Modeling;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public sealed class BatchNormStatisticsTests
{
    [Fact]
    public void StatisticsBecomeTheMeanOfTheBatchStatisticsAndNothingElseChanges()
    {
        var config = TinyConfig.Create();
        manual_seed(5);
        using var network = new SsdNetwork(config);
        network.Initialize();
        network.eval();
        var modules = network.named_modules().ToDictionary(m => m.name, m => m.module);
        var conv = (Conv2d)modules["vgg.0"];
        var norm = (BatchNorm2d)modules["vgg.1"];
        var weightsBefore = network.parameters().Select(p => p.detach().clone()).ToList();
        var momentum = norm.momentum;

        var source = new SyntheticBatches(config, batchSize: 3, seed: 8);
        Assert.Equal(3, BatchNormStatistics.Reestimate(network, source, batches: 3));

        // What the first batch norm sees is the first convolution's output: per channel, the mean of the three
        // batches' means and of their (unbiased) variances.
        using var _ = no_grad();
        var batches = source.Batches(0, CancellationToken.None).Take(3).ToList();
        var outputs = batches.Select(b => conv.call(b.Images)).ToList();
        var mean = stack(outputs.Select(o => o.mean([0, 2, 3]))).mean([0]);
        var variance = stack(outputs.Select(o => o.var([0, 2, 3]))).mean([0]);
        Assert.True(allclose(norm.running_mean!, mean, rtol: 1e-4, atol: 1e-5), $"running mean {norm.running_mean!.str()}, expected {mean.str()}");
        Assert.True(allclose(norm.running_var!, variance, rtol: 1e-4, atol: 1e-5), $"running var {norm.running_var!.str()}, expected {variance.str()}");
        // Different from one batch's: all three were taken in.
        Assert.False(allclose(norm.running_mean!, outputs[0].mean([0, 2, 3]), rtol: 1e-4, atol: 1e-5));

        Assert.All(network.parameters().Zip(weightsBefore), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
        Assert.False(network.training);
        Assert.Equal(momentum, norm.momentum);
        foreach (var b in batches) b.Dispose();
    }

    [Fact]
    public void ANetworkWithoutBatchNormHasNothingToReestimate()
    {
        var config = TinyConfig.Create() with { BatchNorm = false };
        using var network = new SsdNetwork(config);
        Assert.False(BatchNormStatistics.Present(network));
        Assert.Equal(0, BatchNormStatistics.Reestimate(network, new SyntheticBatches(config, 2, seed: 1), batches: 2));
        using var withNorm = new SsdNetwork(TinyConfig.Create());
        Assert.True(BatchNormStatistics.Present(withNorm));
    }
}
