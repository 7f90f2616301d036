namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// Convolution weights in symmetric int8, one scale per output channel: <c>scale_c = max|w_c| / 127</c>,
/// <c>q = clamp(round_half_even(w / scale_c), −127, 127)</c>, zero point 0 (−128 unused, so that the
/// range is symmetric). The bias becomes int32 at the scale of the product, <c>input_scale · scale_c</c>,
/// as integer convolution accumulates it.
/// </summary>
public static class WeightQuantization
{
    /// <summary>Largest magnitude of a symmetric int8 weight.</summary>
    public const int Limit = 127;

    /// <summary>The int8 weights and the scale of each output channel.</summary>
    /// <param name="weights">Float weights, output channel first (<c>[O, I, kH, kW]</c> flattened).</param>
    /// <param name="outChannels">O.</param>
    /// <returns>The quantized weights (same layout) and O scales (1 for a channel of zeros).</returns>
    public static (sbyte[] Values, float[] Scales) PerChannel(ReadOnlySpan<float> weights, int outChannels)
    {
        if (outChannels < 1 || weights.Length % outChannels != 0)
            throw new ArgumentException($"{weights.Length} weights do not divide into {outChannels} output channels", nameof(weights));
        int perChannel = weights.Length / outChannels;
        var values = new sbyte[weights.Length];
        var scales = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            var channel = weights.Slice(o * perChannel, perChannel);
            float absMax = 0;
            foreach (var w in channel) absMax = Math.Max(absMax, Math.Abs(w));
            float scale = absMax > 0 ? absMax / Limit : 1f;
            scales[o] = scale;
            for (int i = 0; i < perChannel; i++)
                values[o * perChannel + i] = (sbyte)Math.Clamp(Math.Round(channel[i] / scale, MidpointRounding.ToEven), -Limit, Limit);
        }
        return (values, scales);
    }

    /// <summary>
    /// The bias in int32 at scale <c><paramref name="inputScale"/> · <paramref name="weightScales"/>[c]</c>
    /// (saturated to the int32 range); returns the values and those scales.
    /// </summary>
    public static (int[] Values, float[] Scales) Bias(ReadOnlySpan<float> bias, float inputScale, ReadOnlySpan<float> weightScales)
    {
        if (bias.Length != weightScales.Length) throw new ArgumentException($"{bias.Length} biases for {weightScales.Length} channels", nameof(bias));
        var values = new int[bias.Length];
        var scales = new float[bias.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            values[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }
        return (values, scales);
    }
}
