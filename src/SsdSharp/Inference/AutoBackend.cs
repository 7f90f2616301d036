using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SsdSharp.Configuration;
using SsdSharp.IO;
using SsdSharp.Onnx;
using SsdSharp.Weights;

namespace SsdSharp.Inference;

/// <summary>
/// <see cref="InferenceBackendKind.Auto"/>: which path is fastest depends on the machine (on an AVX2 CPU
/// ONNX Runtime beat libtorch by a third; with AVX-512 BF16 libtorch's channels-last won), so the
/// plausible paths are timed once, warm, on the actual model, and the fastest is remembered in the
/// cache folder, keyed by model hash, CPU, thread count and SsdSharp version. They are timed in alternation,
/// each keeping its fastest pass: a virtual machine's speed drifts by half for seconds at a time, and timed one
/// after the other, the path that met a slow spell lost (on a 2-core AVX2 EPYC, ONNX Runtime's 420–460 ms timed
/// at 664 ms, and auto kept a libtorch path 1.2–1.5× slower). Only paths as accurate as
/// float32 compete (libtorch float32 in either layout, ONNX Runtime); bfloat16 runs only when asked for,
/// and then its two layouts compete. int8 runs only as an int8 <c>.onnx</c> model the user exported
/// (<see cref="Onnx.Quantization.OnnxQuantizer"/>) and passes: an <c>.onnx</c> model runs as it is.
/// </summary>
public static class AutoBackend
{
    /// <summary>Set to 1 to time the candidates on every load instead of reusing (and recording) the cached choice.</summary>
    public const string NoCacheVariable = "SSDSHARP_NO_AUTO_CACHE";

    private const string CacheFileName = "auto-backend.json";
    /// <summary>Timed passes of each candidate, in alternation, after one warm-up pass each.</summary>
    private const int TimedRounds = 5;

    /// <summary>
    /// The concrete options that compete for <paramref name="options"/> (whose backend is auto), among
    /// the backends deployed: one entry when there is nothing to choose.
    /// </summary>
    public static IReadOnlyList<DetectorOptions> Candidates(DetectorOptions options)
    {
        // Device auto lets libtorch take a GPU when there is one; timing then settles it against ONNX Runtime on the CPU.
        bool onlyLibTorch = options.Device.Kind == ComputeDeviceKind.Cuda || options.Layout == TensorLayout.ChannelsLast;
        var libTorch = options with { Backend = InferenceBackendKind.LibTorch };
        var candidates = new List<DetectorOptions>();
        if (InferenceBackends.Find(InferenceBackendKind.LibTorch) != null)
        {
            if (onlyLibTorch) return [libTorch];
            candidates.Add(libTorch with { Layout = TensorLayout.Contiguous });
            candidates.Add(libTorch with { Layout = TensorLayout.ChannelsLast });
        }
        if (options.Precision != InferencePrecision.BFloat16 && !onlyLibTorch)
            candidates.Add(options with { Backend = InferenceBackendKind.OnnxRuntime });
        if (candidates.Count == 0)
            throw new SsdInputException(options.Precision == InferencePrecision.BFloat16
                ? "dtype bfloat16: needs the libtorch backend (SsdSharp.Torch), which is not deployed"
                : $"{(options.Device.Kind == ComputeDeviceKind.Cuda ? $"device {options.Device}" : "channels-last")}: needs the libtorch backend (SsdSharp.Torch), which is not deployed");
        return candidates;
    }

    /// <summary>Opens <paramref name="modelPath"/> on the fastest candidate, timing them unless the choice is cached; an <c>.onnx</c> model on ONNX Runtime.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="config">The configuration, as for <see cref="IInferenceBackendProvider.Open"/>.</param>
    /// <param name="options">The detector's options (backend auto); <see cref="DetectorOptions.CacheDirectory"/> and
    /// <see cref="DetectorOptions.CacheAutoChoice"/> say where and whether the choice is kept.</param>
    public static (IInferenceBackend Backend, BackendChoice Choice) Open(string modelPath, SsdConfig? config, DetectorOptions options)
    {
        // An exported model runs as exported: nothing to choose.
        var candidates = OnnxExporter.IsOnnxFile(modelPath) ? [options with { Backend = InferenceBackendKind.OnnxRuntime }] : Candidates(options);
        if (candidates.Count == 1)
        {
            var only = InferenceBackends.Open(modelPath, config, candidates[0]);
            return (only, new BackendChoice(candidates[0], only.Description, null, [], FromCache: false, DateTimeOffset.UtcNow));
        }

        bool useCache = options.CacheAutoChoice && Environment.GetEnvironmentVariable(NoCacheVariable) != "1";
        var cache = new BackendChoiceCache(Path.Combine(options.CacheDirectory ?? UserCache.Directory, CacheFileName));
        var key = useCache ? CacheKey(modelPath, config, candidates) : "";
        if (useCache && cache.Find(key) is { } known && candidates.FirstOrDefault(c => Same(c, known.Options)) is { } remembered)
            return (InferenceBackends.Open(modelPath, config, remembered), known with { FromCache = true });

        var (backend, choice) = TimeCandidates(modelPath, config, candidates);
        if (useCache) cache.Store(key, choice);
        return (backend, choice);
    }

    private static (IInferenceBackend, BackendChoice) TimeCandidates(string modelPath, SsdConfig? config, IReadOnlyList<DetectorOptions> candidates)
    {
        var backends = new List<IInferenceBackend>();
        try
        {
            foreach (var candidate in candidates) backends.Add(InferenceBackends.Open(modelPath, config, candidate));
            var input = TimingInput(backends[0].Config.InputSize);
            var ms = TimeInAlternation(backends, TimedRounds, backend => TimeOnePass(backend, input));
            int best = Array.IndexOf(ms, ms.Min());
            var timings = backends.Select((b, i) => new BackendTiming(b.Description, ms[i])).ToList();
            var choice = new BackendChoice(candidates[best], backends[best].Description, ms[best], timings, FromCache: false, DateTimeOffset.UtcNow);
            var fastest = backends[best];
            backends.RemoveAt(best);
            return (fastest, choice);
        }
        finally
        {
            foreach (var other in backends) other.Dispose();
        }
    }

    /// <summary>
    /// The fastest of <paramref name="rounds"/> timings of each backend, in ms, timed in turn (each once per round) after
    /// one warm-up pass each, so that a slow spell of the machine costs every candidate a round rather than one candidate all of its.
    /// Each round starts one candidate further on, so that none always follows the same one (whose threads may still be
    /// spinning, or whose memory traffic has just emptied the caches).
    /// </summary>
    /// <param name="backends">The candidates.</param>
    /// <param name="rounds">Rounds of timing.</param>
    /// <param name="time">Milliseconds of one pass of a backend (the first pass of each is the warm-up and not counted).</param>
    internal static double[] TimeInAlternation(IReadOnlyList<IInferenceBackend> backends, int rounds, Func<IInferenceBackend, double> time)
    {
        foreach (var backend in backends) time(backend);
        var best = Enumerable.Repeat(double.PositiveInfinity, backends.Count).ToArray();
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < backends.Count; k++)
            {
                int i = (round + k) % backends.Count;
                best[i] = Math.Min(best[i], time(backends[i]));
            }
        return best;
    }

    /// <summary>A fixed image-like input of one image (values of preprocessed pixels): timing must not depend on chance.</summary>
    private static float[] TimingInput(int size)
    {
        var input = new float[3 * size * size];
        for (int i = 0; i < input.Length; i++) input[i] = i * 7919 % 251 - 120;
        return input;
    }

    /// <summary>Milliseconds of one forward pass of <paramref name="input"/> at batch 1.</summary>
    private static double TimeOnePass(IInferenceBackend backend, float[] input)
    {
        var clock = Stopwatch.StartNew();
        backend.Run(input, 1);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static bool Same(DetectorOptions a, DetectorOptions b) =>
        a.Backend == b.Backend && a.Precision == b.Precision && a.Layout == b.Layout && a.Device == b.Device;

    /// <summary>What the choice depends on: the model, the machine, this build, and what competed.</summary>
    private static string CacheKey(string modelPath, SsdConfig? config, IReadOnlyList<DetectorOptions> candidates)
    {
        var cpu = CpuInfo.Current;
        var text = string.Join("\n",
            ModelWeights.Hash(modelPath, config), cpu.Model, string.Join(' ', cpu.Features.Order(StringComparer.Ordinal)),
            Environment.ProcessorCount, LibraryVersion.Full,
            string.Join(";", candidates.Select(c => $"{c.Backend}/{c.Precision}/{c.Layout}/{c.Device}")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
