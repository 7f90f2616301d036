using Onnx;

namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// Which parts of a float graph become 8-bit, decided on the graph alone: every <c>Conv</c> not kept in
/// float, the activation entering it and the activation leaving it. A ReLU that is a quantized
/// convolution's only consumer is folded into the quantization of its output (a range starting at 0
/// clips negatives exactly as ReLU does), so that ONNX Runtime fuses the group into one integer
/// convolution. A <c>MaxPool</c> between quantized tensors takes its input's parameters, so that it runs
/// on 8-bit values (ONNX Runtime drops a DQ → MaxPool → Q group with equal parameters). Everything else
/// (L2Norm, decoding, softmax, NMS) stays float and reads dequantized values. The outputs of the
/// heads (a convolution without ReLU: class logits and box offsets) always get their observed range:
/// clipping them would cap the scores and offsets themselves, which no later layer absorbs.
/// </summary>
internal sealed class QdqPlan
{
    private QdqPlan(HashSet<string> convs, Dictionary<string, string> tensors, Dictionary<string, string> foldedRelus, HashSet<string> observedRange)
    {
        ObservedRange = observedRange;
        Convs = convs;
        Tensors = tensors;
        FoldedRelus = foldedRelus;
    }

    /// <summary>Names of the convolutions that run in int8.</summary>
    public IReadOnlySet<string> Convs { get; }

    /// <summary>Each tensor to quantize, mapped to the tensor whose calibrated range it uses (itself, or a max-pool's input).</summary>
    public IReadOnlyDictionary<string, string> Tensors { get; }

    /// <summary>Removed ReLU nodes by name, mapped to the convolution output that their output's quantization reads instead.</summary>
    public IReadOnlyDictionary<string, string> FoldedRelus { get; }

    /// <summary>Calibrated tensors that take their observed minimum and maximum whatever the method: outputs of convolutions without ReLU.</summary>
    public IReadOnlySet<string> ObservedRange { get; }

    /// <summary>The tensors calibration must observe, in graph order.</summary>
    public IReadOnlyList<string> CalibratedTensors => Tensors.Values.Distinct().ToList();

    /// <summary>The plan for <paramref name="graph"/> with the convolutions named in <paramref name="keepFloat"/> left in float.</summary>
    /// <param name="graph">A float graph of <see cref="SsdGraph"/>.</param>
    /// <param name="keepFloat">Layer names or prefixes (<c>loc</c> keeps <c>loc.0</c>, <c>loc.1</c>…).</param>
    public static QdqPlan For(GraphProto graph, IReadOnlyCollection<string> keepFloat)
    {
        var producers = new Dictionary<string, NodeProto>();
        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output) producers[output] = node;
            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }
        }

        CheckKeepFloat(graph, keepFloat);
        var convs = new HashSet<string>();
        var tensors = new List<string>();
        var foldedRelus = new Dictionary<string, string>();
        var observedRange = new HashSet<string>();
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv" && !IsKeptFloat(n.Name, keepFloat)))
        {
            convs.Add(conv.Name);
            tensors.Add(conv.Input[0]);
            var output = conv.Output[0];
            if (consumers.TryGetValue(output, out var next) && next is [{ OpType: "Relu" } relu] && !graph.Output.Any(o => o.Name == output))
            {
                foldedRelus[relu.Name] = output;
                output = relu.Output[0];
            }
            else
            {
                observedRange.Add(output);
            }
            tensors.Add(output);
        }

        // Max pools pass quantized values through: their input is quantized too, with the same parameters.
        var sources = new Dictionary<string, string>();
        foreach (var tensor in tensors)
        {
            var t = tensor;
            while (true)
            {
                sources[t] = SourceOf(t);
                if (!producers.TryGetValue(t, out var pool) || pool.OpType != "MaxPool") break;
                t = pool.Input[0];
            }
        }
        return new QdqPlan(convs, sources, foldedRelus, observedRange);

        string SourceOf(string t)
        {
            while (producers.TryGetValue(t, out var p) && p.OpType == "MaxPool") t = p.Input[0];
            return t;
        }
    }

    /// <summary>Refuses a name that keeps no convolution: a misspelt layer would otherwise be quantized without a word.</summary>
    /// <exception cref="SsdInputException">A name or prefix matches no convolution; the message lists the layers there are.</exception>
    private static void CheckKeepFloat(GraphProto graph, IReadOnlyCollection<string> keepFloat)
    {
        var names = graph.Node.Where(n => n.OpType == "Conv").Select(n => n.Name).ToList();
        foreach (var kept in keepFloat)
        {
            if (!names.Any(name => IsKeptFloat(name, [kept])))
                throw new SsdInputException($"keep-float '{kept}': no convolution is named so or starts with '{kept}.'; expected one of {string.Join(", ", names)} or a prefix of them");
        }
    }

    private static bool IsKeptFloat(string name, IReadOnlyCollection<string> keepFloat) =>
        keepFloat.Any(k => name == k || name.StartsWith(k + ".", StringComparison.Ordinal));
}
