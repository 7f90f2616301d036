using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace SsdSharp.Onnx;

/// <summary>
/// Adds nodes and constant tensors (initializers) to an ONNX graph. Every node has one name that
/// is also the name of its (first) output, so that the graph reads like the network's layer list.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly HashSet<string> _names = [];

    /// <summary>Builds a new graph.</summary>
    public GraphBuilder() : this(new GraphProto())
    {
    }

    /// <summary>Adds to <paramref name="graph"/>, whose inputs, initializers and node outputs keep their names.</summary>
    public GraphBuilder(GraphProto graph)
    {
        Graph = graph;
        foreach (var name in graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name)).Concat(graph.Node.SelectMany(n => n.Output)))
            _names.Add(name);
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>A float32 constant with <paramref name="dims"/>; returns its name.</summary>
    public string Constant(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A one-dimensional int64 constant (shapes, axes, counts); returns its name.</summary>
    public string Int64s(string name, params long[] values) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), values.Length);

    /// <summary>An int8 constant with <paramref name="dims"/>; returns its name.</summary>
    public string Int8s(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A uint8 constant with <paramref name="dims"/>; returns its name.</summary>
    public string UInt8s(string name, ReadOnlySpan<byte> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Uint8, values, dims);

    /// <summary>An int32 constant with <paramref name="dims"/>; returns its name.</summary>
    public string Int32s(string name, ReadOnlySpan<int> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A float32 scalar constant; returns its name.</summary>
    public string Scalar(string name, float value) => Constant(name, [value]);

    /// <summary>An int64 scalar constant; returns its name.</summary>
    public string Scalar(string name, long value) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(new[] { value }.AsSpan()));

    /// <summary>Adds a node with one output named <paramref name="name"/>; returns that name.</summary>
    public string Node(string op, string name, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(op, name, inputs, 1, attributes)[0];

    /// <summary>
    /// Adds a node with <paramref name="outputs"/> outputs: the first is named <paramref name="name"/>,
    /// the others <c>name:i</c>. Returns the output names.
    /// </summary>
    public string[] Node(string op, string name, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        Claim(name);
        var names = Enumerable.Range(0, outputs).Select(i => i == 0 ? name : $"{name}:{i}").ToArray();
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Declares a float32 graph input or output of the given shape (a string is a symbolic dimension).</summary>
    public static ValueInfoProto FloatValue(string name, string doc, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        }
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string AddInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndian, params long[] dims)
    {
        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"the ONNX graph already has a value named '{name}'");
    }
}
