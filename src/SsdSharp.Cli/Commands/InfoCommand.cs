using System.CommandLine;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.IO;
using TorchSharp;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd info</c>: what this machine offers for running a model (CPU model and features, threads,
/// libtorch and ONNX Runtime versions, CUDA) and the path <c>--backend auto</c> picks for a model, with its time.
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var weights = WeightsOption.Create("--weights", "The model auto chooses for (SsdSharp model, .pth with --config, or .onnx). Default: the bundled shapes300.");
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for .pth)." };
        var noAutoCache = new Option<bool>("--no-auto-cache") { Description = "Time the candidates again instead of showing the cached choice." };
        var command = new Command("info", "Print the CPU, threads, libtorch and ONNX Runtime versions, CUDA, and what --backend auto picks.")
        {
            weights, config, noAutoCache,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var cpu = CpuInfo.Current;
            Console.WriteLine($"SsdSharp {LibraryVersion.Release}");
            Console.WriteLine($"CPU: {cpu.Model} ({cpu.Architecture}), {Environment.ProcessorCount} threads");
            Console.WriteLine($"  features: {(cpu.NotableFeatures.Count > 0 ? string.Join(' ', cpu.NotableFeatures) : "none of note")}");
            Console.WriteLine($"  native bfloat16: {(cpu.HasNativeBFloat16 ? "yes" : "no (--dtype bfloat16 would be emulated, many times slower)")}");
            Console.WriteLine($"libtorch {torch.__version__} (TorchSharp {typeof(torch).Assembly.GetName().Version}), {torch.get_num_threads()} threads, " +
                              $"CUDA: {(Devices.CudaDeviceCount > 0 ? $"{Devices.CudaDeviceCount} device(s)" : "not available")}");
            Console.WriteLine($"ONNX Runtime {OnnxRuntimeBackend.Version}, providers: {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())}");

            var model = parse.GetValue(weights) ?? ModelResolver.BundledModelPath;
            InputFile.CheckReadable(model, "a model file");
            var options = new DetectorOptions { CacheAutoChoice = !parse.GetValue(noAutoCache) };
            var (backend, choice) = AutoBackend.Open(model, parse.GetValue(config) is { } c ? ModelResolver.LoadConfig(c) : null, options);
            bool int8 = backend is OnnxRuntimeBackend { IsInt8: true };
            backend.Dispose();
            var when = choice.FromCache
                ? $"cached, measured {choice.MeasuredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
                : "measured now";
            Console.WriteLine($"auto for {Path.GetFileName(model)}: {choice.Description}" +
                              (choice.Milliseconds is { } ms ? $", {ms:F1} ms per forward pass at batch 1 ({when})" : " (the only candidate)"));
            foreach (var timing in choice.Timings)
                Console.WriteLine($"  {timing.Description}: {timing.Milliseconds:F1} ms");
            // int8 changes the detections a little: it runs only when the user exported it and passes it.
            Console.WriteLine(int8
                ? "int8: this model is quantized (ssd export --quantize int8); it runs as given, with the accuracy measured when it was made"
                : "int8: not considered (reduced precision only when asked for); export one with `ssd export --quantize int8 --calibration DATA` and pass it as --weights");
            Console.WriteLine($"cache: {UserCache.Directory}");
            return 0;
        }));
        return command;
    }
}
