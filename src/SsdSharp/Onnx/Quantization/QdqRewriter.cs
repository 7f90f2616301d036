using System.Runtime.InteropServices;
using Onnx;
using static SsdSharp.Onnx.GraphBuilder;

namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// Turns a float graph into ONNX's QDQ form along a <see cref="QdqPlan"/>: each quantized activation gets
/// a <c>QuantizeLinear</c> after its producer and a <c>DequantizeLinear</c> before each consumer (one per
/// consumer, the form ONNX Runtime's fusions match); each quantized convolution reads its weights
/// through a per-channel int8 <c>DequantizeLinear</c> (axis 0) and its bias through an int32 one at scale
/// input · weight. ONNX Runtime then replaces every DQ → Conv → Q group with an integer convolution.
/// Node order stays topological: dequantization right before the consumer, quantization right after the producer.
/// </summary>
internal static class QdqRewriter
{
    /// <summary>Rewrites <paramref name="graph"/> in place.</summary>
    /// <param name="graph">A float graph of <see cref="SsdGraph"/>.</param>
    /// <param name="plan">What to quantize.</param>
    /// <param name="ranges">The calibrated range of every tensor in <see cref="QdqPlan.CalibratedTensors"/>.</param>
    /// <param name="type">The type of quantized activations.</param>
    public static void Apply(GraphProto graph, QdqPlan plan, IReadOnlyDictionary<string, ActivationRange> ranges, ActivationType type)
    {
        var g = new GraphBuilder(graph);
        var parameters = plan.Tensors.ToDictionary(t => t.Key, t => QuantizationParameters.ForActivation(ranges[t.Value], type));
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var quantized = new Dictionary<string, (string Value, string Scale, string ZeroPoint)>();
        var dequantizations = new Dictionary<string, int>();
        var nodes = graph.Node.ToList();
        graph.Node.Clear();

        foreach (var input in graph.Input.Where(i => parameters.ContainsKey(i.Name)))
            Quantize(input.Name, input.Name);
        foreach (var node in nodes)
        {
            if (plan.FoldedRelus.TryGetValue(node.Name, out var convOutput))
            {
                Quantize(node.Output[0], convOutput);
                continue;
            }
            string activation = node.Input.Count > 0 ? node.Input[0] : "";
            for (int k = 0; k < node.Input.Count; k++)
            {
                if (quantized.TryGetValue(node.Input[k], out var q))
                {
                    int n = dequantizations[node.Input[k]] = dequantizations.GetValueOrDefault(node.Input[k]) + 1;
                    node.Input[k] = g.Node("DequantizeLinear", $"{node.Input[k]}.dequantized.{n}", [q.Value, q.Scale, q.ZeroPoint]);
                }
            }
            if (plan.Convs.Contains(node.Name)) QuantizeWeights(node, parameters[activation].Scale);
            graph.Node.Add(node);
            foreach (var output in node.Output.Where(parameters.ContainsKey)) Quantize(output, output);
        }

        void Quantize(string tensor, string source)
        {
            var p = parameters[tensor];
            var scale = g.Scalar($"{tensor}.scale", p.Scale);
            var zeroPoint = type == ActivationType.UInt8
                ? g.UInt8s($"{tensor}.zero_point", [(byte)p.ZeroPoint])
                : g.Int8s($"{tensor}.zero_point", [(sbyte)p.ZeroPoint]);
            quantized[tensor] = (g.Node("QuantizeLinear", $"{tensor}.quantized", [source, scale, zeroPoint]), scale, zeroPoint);
        }

        void QuantizeWeights(NodeProto conv, float inputScale)
        {
            var weight = Take(conv.Input[1]);
            var dims = weight.Dims.ToArray();
            int outChannels = (int)dims[0];
            var (values, scales) = WeightQuantization.PerChannel(MemoryMarshal.Cast<byte, float>(weight.RawData.Span), outChannels);
            conv.Input[1] = g.Node("DequantizeLinear", $"{weight.Name}.dequantized",
                [g.Int8s($"{weight.Name}.int8", values, dims), g.Constant($"{weight.Name}.scale", scales, outChannels), g.Int8s($"{weight.Name}.zero_point", new sbyte[outChannels], outChannels)],
                Int("axis", 0));
            if (conv.Input.Count < 3) return;
            var bias = Take(conv.Input[2]);
            var (biasValues, biasScales) = WeightQuantization.Bias(MemoryMarshal.Cast<byte, float>(bias.RawData.Span), inputScale, scales);
            conv.Input[2] = g.Node("DequantizeLinear", $"{bias.Name}.dequantized",
                [g.Int32s($"{bias.Name}.int32", biasValues, outChannels), g.Constant($"{bias.Name}.scale", biasScales, outChannels), g.Int32s($"{bias.Name}.zero_point", new int[outChannels], outChannels)],
                Int("axis", 0));
        }

        TensorProto Take(string name)
        {
            var tensor = initializers[name];
            graph.Initializer.Remove(tensor);
            return tensor;
        }
    }
}
