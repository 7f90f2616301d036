using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace SsdSharp.Onnx.Quantization;

/// <summary>
/// Observes activations of the float model on calibration images: ONNX Runtime runs the model with the
/// tensors to calibrate added as graph outputs. Pass 1 records each tensor's minimum and maximum;
/// percentile and entropy need a second pass that fills a histogram of |x| over the now known bound.
/// Two passes instead of re-binning a growing histogram: the histogram does not depend on the order
/// of the images, and calibration is reproducible.
/// </summary>
internal static class Calibrator
{
    /// <summary>The range of each tensor in <paramref name="tensors"/> by <paramref name="options"/>' method.</summary>
    /// <param name="model">The float model.</param>
    /// <param name="tensors">Names of the tensors to observe (node outputs or the graph input).</param>
    /// <param name="observedRange">Those of <paramref name="tensors"/> that take their minimum and maximum whatever the method.</param>
    /// <param name="images">Preprocessed images <c>[3, S, S]</c>, read once per pass.</param>
    /// <param name="options">Method, histogram size, batch size.</param>
    /// <param name="progress">Reports images done per pass.</param>
    public static Dictionary<string, ActivationRange> Ranges(ModelProto model, IReadOnlyList<string> tensors, IReadOnlySet<string> observedRange, IReadOnlyList<float[]> images,
        QuantizationOptions options, IProgress<CalibrationProgress>? progress)
    {
        var input = model.Graph.Input[0];
        long[] imageShape = input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray();
        var observed = model.Clone();
        var outputs = tensors.Where(t => t != input.Name).ToList();
        foreach (var name in outputs.Where(n => observed.Graph.Output.All(o => o.Name != n)))
            observed.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(observed.ToByteArray(), sessionOptions);
        using var runOptions = new RunOptions();
        int passes = options.Method == CalibrationMethod.MinMax ? 1 : 2;

        var min = tensors.Select(_ => float.PositiveInfinity).ToArray();
        var max = tensors.Select(_ => float.NegativeInfinity).ToArray();
        ForEachBatch(1, (k, values) =>
        {
            foreach (var v in values)
            {
                min[k] = Math.Min(min[k], v);
                max[k] = Math.Max(max[k], v);
            }
        });
        var histograms = tensors.Select((_, k) => new TensorHistogram(min[k], max[k], options.HistogramBins)).ToArray();
        if (passes == 2) ForEachBatch(2, (k, values) => histograms[k].Add(values));
        return tensors.Select((t, k) => (t, k)).ToDictionary(e => e.t, e => RangeCalibration.Range(histograms[e.k], observedRange.Contains(e.t) ? CalibrationMethod.MinMax : options.Method, options.Percentile));

        void ForEachBatch(int pass, TensorObserver observe)
        {
            int length = (int)imageShape.Aggregate(1L, (a, b) => a * b);
            progress?.Report(new CalibrationProgress(pass, passes, 0, images.Count));
            for (int start = 0; start < images.Count; start += options.BatchSize)
            {
                int count = Math.Min(options.BatchSize, images.Count - start);
                var batch = new float[count * length];
                Parallel.For(0, count, i => images[start + i].CopyTo(batch, i * length));
                using var value = OrtValue.CreateTensorValueFromMemory(batch, [count, .. imageShape]);
                using var results = session.Run(runOptions, [input.Name], [value], outputs);
                // Tensors are independent: observe them in parallel, each by one thread.
                Parallel.For(0, tensors.Count, k =>
                {
                    int index = outputs.IndexOf(tensors[k]);
                    observe(k, index < 0 ? batch : results[index].GetTensorDataAsSpan<float>());
                });
                progress?.Report(new CalibrationProgress(pass, passes, start + count, images.Count));
            }
        }
    }

    private delegate void TensorObserver(int tensor, ReadOnlySpan<float> values);
}
