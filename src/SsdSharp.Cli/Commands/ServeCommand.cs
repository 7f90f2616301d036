using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SsdSharp.Inference;
using SsdSharp.Serving;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd serve</c>: the detection service with its web page (SsdSharp.Serving).</summary>
internal static class ServeCommand
{
    /// <summary>The category of the generic host's own log entries (start, stop, failures of hosted services).</summary>
    private const string HostLogCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static Command Create()
    {
        var defaults = new ServeOptions();
        var weights = WeightsOption.Create("--weights", "SsdSharp model file, or ssd.pytorch .pth with --config. Default: the bundled shapes300.");
        var config = new Option<string?>("--config") { Description = "Preset or JSON config (required for .pth; overrides a model's class names)." };
        var host = new Option<string>("--host") { Description = "IP address to listen on (0.0.0.0 or :: for every interface), or localhost.", DefaultValueFactory = _ => defaults.Host };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port).", DefaultValueFactory = _ => defaults.Port };
        var device = DeviceOption.Create();
        var tta = TestTimeAugmentationOption.Create(" For every request that does not say (query option tta=true|false).");
        var backendOptions = new BackendOptions();
        var maxUpload = NumericOption.Create("--max-upload-mb", "Largest request body in MB.",
            new NumberRange<double>(0, ServeOptions.MaxUploadLimit >> 20, MinOpen: true), defaults.MaxUploadBytes / (1024.0 * 1024.0));
        var maxBatch = NumericOption.Create("--max-batch", "Most images of concurrent requests in one forward pass.",
            new NumberRange<int>(1, ServeOptions.MaxBatchLimit), defaults.MaxBatch);
        var maxDelay = NumericOption.Create("--max-delay-ms", "Longest wait for a batch to fill after its first image.",
            new NumberRange<double>(0, ServeOptions.MaxDelayLimit.TotalMilliseconds), defaults.MaxDelay.TotalMilliseconds);
        var queue = NumericOption.Create("--queue", "Most images waiting; more are refused with 503 and Retry-After.",
            new NumberRange<int>(1, ServeOptions.MaxQueueLimit), defaults.QueueLimit);
        var command = new Command("serve", "Serve detection over HTTP: a JSON API, a web page at /, OpenAPI at /openapi.json, metrics at /metrics.")
        {
            weights, config, host, port, device, tta, maxUpload, maxBatch, maxDelay, queue,
        };
        backendOptions.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            double megabytes = parse.GetValue(maxUpload), delay = parse.GetValue(maxDelay);
            var serve = new ServeOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                MaxUploadBytes = (long)(megabytes * 1024 * 1024),
                MaxBatch = parse.GetValue(maxBatch),
                MaxDelay = TimeSpan.FromMilliseconds(delay),
                QueueLimit = parse.GetValue(queue),
            }.Validate();
            var options = backendOptions.Apply(parse, new DetectorOptions
            {
                Device = DeviceOption.Parse(parse, device), BatchSize = serve.MaxBatch, TestTimeAugmentation = parse.GetValue(tta),
            }, parse.GetValue(weights));
            using var detector = ModelResolver.CreateDetector(parse.GetValue(weights), parse.GetValue(config), options);
            // The host logs a failed start with the exception's stack trace, then throws the exception to Run,
            // which reports it below in one line: the log entry would only repeat it. (Its other entries at the
            // levels shown are of hosted services' failures, and the service has none of its own.)
            var app = DetectionServer.Build(detector, serve, builder => builder.Logging.AddFilter(HostLogCategory, LogLevel.None));
            // Once listening, so that a refused address is the only line of a failed start.
            app.Lifetime.ApplicationStarted.Register(() => Console.Error.WriteLine(
                $"ssd serve: {detector.Config.Name} ({detector.Config.ClassNames.Count} classes) on {detector.Backend.Description}; " +
                $"batches of up to {serve.MaxBatch} images, {serve.MaxDelay.TotalMilliseconds} ms delay, queue {serve.QueueLimit}" +
                (detector.Options.TestTimeAugmentation ? "; test-time augmentation by default" : "")));
            try
            {
                app.Run();
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // Kestrel's bind failures: an address in use is an IOException; one that is not this machine's
                // ("Cannot assign requested address") or a port the user may not open, a SocketException.
                throw new SsdInputException($"--host {serve.Host} --port {serve.Port}: {e.Message}");
            }
            finally
            {
                // Disposing the services waits for the batcher to finish what is queued.
                ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return 0;
        }));
        return command;
    }
}
