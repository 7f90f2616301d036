using System.CommandLine;
using SsdSharp.Inference;
using SsdSharp.Onnx;

namespace SsdSharp.Cli;

/// <summary>
/// The options that choose how a model runs, shared by <c>detect</c>, <c>eval</c> and <c>serve</c>: <c>--backend</c>,
/// <c>--dtype</c>, <c>--channels-last</c>, <c>--no-auto-cache</c>; their conflicts with each other and with
/// an <c>.onnx</c> model are named before anything loads.
/// </summary>
internal sealed class BackendOptions
{
    private readonly Option<string> _backend = new("--backend")
    {
        Description = "auto (the fastest float32-accurate path on this machine, timed once and cached), libtorch or onnxruntime.",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<string> _dtype = new("--dtype")
    {
        Description = "auto (float32 accuracy), float32 or bfloat16 (libtorch; fast only on CPUs with native bf16).",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<bool> _channelsLast = new("--channels-last") { Description = "libtorch with the channels-last memory layout." };

    private readonly Option<bool> _noAutoCache = new("--no-auto-cache")
    {
        Description = $"Time the candidates of --backend auto again instead of reusing the cached choice (also {AutoBackend.NoCacheVariable}=1).",
    };

    public BackendOptions()
    {
        _backend.AcceptOnlyFromAmong("auto", "libtorch", "onnxruntime");
        _dtype.AcceptOnlyFromAmong("auto", "float32", "bfloat16");
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_backend);
        command.Options.Add(_dtype);
        command.Options.Add(_channelsLast);
        command.Options.Add(_noAutoCache);
    }

    /// <summary>
    /// <paramref name="options"/> with the parsed backend, precision, layout and cache use; warns on
    /// stderr when bfloat16 will be emulated.
    /// </summary>
    /// <exception cref="SsdInputException">The options conflict with each other or with <paramref name="weights"/>.</exception>
    public DetectorOptions Apply(ParseResult parse, DetectorOptions options, string? weights)
    {
        var backend = parse.GetValue(_backend)!;
        var dtype = parse.GetValue(_dtype)!;
        bool channelsLast = parse.GetValue(_channelsLast);
        if (weights is not null && OnnxExporter.IsOnnxFile(weights))
        {
            // An exported model runs as it was exported: only ONNX Runtime, its precision and layout fixed.
            if (backend == "libtorch") throw new SsdInputException($"--weights {weights}: an ONNX model runs on ONNX Runtime; --backend libtorch does not go with it");
            if (dtype != "auto") throw new SsdInputException($"--weights {weights}: an ONNX model runs as exported; --dtype {dtype} does not go with it (leave --dtype auto)");
            if (channelsLast) throw new SsdInputException($"--weights {weights}: an ONNX model runs on ONNX Runtime; --channels-last does not go with it");
        }
        if (backend == "onnxruntime" && dtype == "bfloat16")
            throw new SsdInputException("--backend onnxruntime computes in float32; --dtype bfloat16 needs --backend libtorch or auto");
        if (backend == "onnxruntime" && channelsLast)
            throw new SsdInputException("--channels-last is a libtorch layout; it does not go with --backend onnxruntime");

        var result = options with
        {
            Backend = backend switch
            {
                "libtorch" => InferenceBackendKind.LibTorch,
                "onnxruntime" => InferenceBackendKind.OnnxRuntime,
                _ => InferenceBackendKind.Auto,
            },
            Precision = dtype switch
            {
                "float32" => InferencePrecision.Float32,
                "bfloat16" => InferencePrecision.BFloat16,
                _ => InferencePrecision.Auto,
            },
            Layout = channelsLast ? TensorLayout.ChannelsLast : TensorLayout.Contiguous,
            CacheAutoChoice = !parse.GetValue(_noAutoCache),
        };
        // Also for the default --device auto, which is the CPU where no GPU is usable.
        if (result.Precision == InferencePrecision.BFloat16 && Devices.RunsOnCpu(result.Device) && CpuInfo.Current.BFloat16Warning is { } warning)
            CommandRunner.WriteWarning(warning);
        return result;
    }
}
