using SsdSharp.Onnx.Quantization;

namespace SsdSharp.Tests.Onnx.Quantization;

/// <summary>Per-channel symmetric int8 weights, int32 bias, and activation parameters, against hand-computed values.</summary>
public class WeightQuantizationTests
{
    [Fact]
    public void EachOutputChannelGetsItsOwnScale()
    {
        // Two output channels of two weights: max |w| 1.27 (scale 0.01) and 0.5 (scale 0.5 / 127).
        var (values, scales) = WeightQuantization.PerChannel([1.27f, -0.634f, 0.5f, 0.26f], 2);
        Assert.Equal(0.01f, scales[0], 6);
        Assert.Equal(0.5f / 127, scales[1], 8);
        Assert.Equal([(sbyte)127, (sbyte)-63, (sbyte)127, (sbyte)66], values); // −63.4 and 66.04 rounded
    }

    [Fact]
    public void AChannelOfZerosGetsScaleOneAndTheRangeIsSymmetric()
    {
        var (values, scales) = WeightQuantization.PerChannel([0f, 0f, -2f, 2f], 2);
        Assert.Equal(1f, scales[0]);
        Assert.Equal([(sbyte)0, (sbyte)0, (sbyte)-127, (sbyte)127], values);
    }

    [Fact]
    public void DequantizedWeightsAreWithinHalfAStep()
    {
        var random = new Random(5);
        var weights = Enumerable.Range(0, 4 * 27).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var (values, scales) = WeightQuantization.PerChannel(weights, 4);
        for (int i = 0; i < weights.Length; i++)
            Assert.True(Math.Abs(values[i] * scales[i / 27] - weights[i]) <= scales[i / 27] / 2 + 1e-7);
    }

    [Fact]
    public void BiasIsInt32AtTheProductScale()
    {
        var (values, scales) = WeightQuantization.Bias([0.5f, -1f], inputScale: 0.1f, weightScales: [0.01f, 0.02f]);
        Assert.Equal(0.001f, scales[0], 8);
        Assert.Equal(0.002f, scales[1], 8);
        Assert.Equal([500, -500], values);
    }

    [Theory]
    [InlineData(0f, 2.55f, ActivationType.UInt8, 0.01f, 0)]      // after ReLU: 0 is q = 0
    [InlineData(-1f, 1.55f, ActivationType.UInt8, 0.01f, 100)]   // 0 at 100 steps above −1
    [InlineData(0f, 2.55f, ActivationType.Int8, 0.01f, -128)]
    [InlineData(1f, 2.55f, ActivationType.UInt8, 0.01f, 0)]      // the range is widened to include 0
    [InlineData(3f, 3f, ActivationType.UInt8, 3f / 255, 0)]
    public void ActivationParametersCoverTheRangeAndZero(float min, float max, ActivationType type, float scale, int zeroPoint)
    {
        var p = QuantizationParameters.ForActivation(new ActivationRange(min, max), type);
        Assert.Equal(scale, p.Scale, 6);
        Assert.Equal(zeroPoint, p.ZeroPoint);
        // Zero is exact, the ends are the extreme integers, beyond them values saturate.
        Assert.Equal(zeroPoint, p.Quantize(0, type));
        Assert.Equal(type == ActivationType.UInt8 ? 255 : 127, p.Quantize(max + 10, type));
    }

    [Fact]
    public void AnEmptyRangeGetsScaleOne()
    {
        var p = QuantizationParameters.ForActivation(new ActivationRange(0, 0), ActivationType.UInt8);
        Assert.Equal(new QuantizationParameters(1, 0), p);
    }
}
