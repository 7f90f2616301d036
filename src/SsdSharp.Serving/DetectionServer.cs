using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Scalar.AspNetCore;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;

namespace SsdSharp.Serving;

/// <summary>
/// The detection service (<c>ssd serve</c>): an ASP.NET Core minimal-API application over an
/// <see cref="SsdDetector"/>, with dynamic batching, a web page, an OpenAPI document and Prometheus metrics.
/// </summary>
/// <example>
/// <code>
/// using var detector = SsdDetector.Load("model.safetensors");
/// await using var app = DetectionServer.Build(detector, new ServeOptions { Port = 8080 });
/// await app.RunAsync(); // until Ctrl-C or SIGTERM; requests in flight are finished
/// </code>
/// </example>
public static class DetectionServer
{
    /// <summary>Content type of the Prometheus text format.</summary>
    private const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// Builds the service; <paramref name="detector"/> stays the caller's (dispose it after the application).
    /// </summary>
    /// <param name="detector">
    /// Runs the model; its <see cref="SsdSharp.Inference.SsdDetector.Detection"/> and <see cref="DetectorOptions.TestTimeAugmentation"/> are the
    /// defaults of the query options.
    /// </param>
    /// <param name="options">Address, limits and batching.</param>
    /// <param name="configure">Last changes to the builder before it is built (tests put a test server or other logging here).</param>
    public static WebApplication Build(SsdDetector detector, ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DetectionServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var metrics = new ServingMetrics(options.MaxBatch);
        builder.Services.AddSingleton(detector);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(metrics);
        // Created by the container so that it is disposed with it, after the server has finished the requests in flight.
        builder.Services.AddSingleton(_ => new DynamicBatcher(detector.Backend, NetworkInputFormat.From(detector.Config).Length, options, metrics));
        builder.Services.AddSingleton<DetectionPipeline>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(ApiDocumentation.Configure);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RequestLog>();
        app.UseRouting();
        app.UseHttpMetrics(http => http.SetMetricFactory(Metrics.WithCustomRegistry(metrics.Registry)));
        app.UseMiddleware<ProblemResponses>();
        app.UseStatusCodePages();
        MapEndpoints(app, metrics);
        // The batcher starts with the application, not with the first request.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<DynamicBatcher>());
        return app;
    }

    private static void MapEndpoints(WebApplication app, ServingMetrics metrics)
    {
        app.MapGet("/", (HttpContext context) => WebAssets.Serve(context, "index.html")).ExcludeFromDescription();
        app.MapGet("/web/{name}", (HttpContext context, string name) => WebAssets.Serve(context, name)).ExcludeFromDescription();

        app.MapPost("/" + ApiDocumentation.Detect, async (HttpContext context, DetectionPipeline pipeline, SsdDetector detector, ServeOptions options) =>
                Results.Json(DetectionFileWriter.ToJsonObject((await DetectAsync(context, pipeline, detector, options, many: false))[0])))
            .WithSummary("Detect objects in one image")
            .WithTags("detection")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/" + ApiDocumentation.DetectBatch, async (HttpContext context, DetectionPipeline pipeline, SsdDetector detector, ServeOptions options) =>
                Results.Json(new System.Text.Json.Nodes.JsonArray([.. (await DetectAsync(context, pipeline, detector, options, many: true)).Select(DetectionFileWriter.ToJsonObject)])))
            .WithSummary("Detect objects in several images")
            .WithTags("detection")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("/v1/model", (SsdDetector detector, ServeOptions options) => Results.Json(ModelDescription.ToJson(detector, options)))
            .WithSummary("The model: classes and their colours, backend, device, defaults, limits, configuration")
            .WithTags("service")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");

        app.MapGet("/healthz", () => Results.Text("ok\n"))
            .WithSummary("Liveness: 200 while the process serves requests")
            .WithTags("service");

        app.MapGet("/readyz", (IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Problem("the service is stopping", statusCode: StatusCodes.Status503ServiceUnavailable, title: "not ready")
                : Results.Text("ready\n"))
            .WithSummary("Readiness: 200 once the model is loaded, 503 while stopping")
            .WithTags("service")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("/metrics", (HttpContext context) =>
                Results.Stream(body => metrics.Registry.CollectAndExportAsTextAsync(body, context.RequestAborted), PrometheusText))
            .WithSummary("Prometheus metrics: requests, latency, batch sizes, forward time, queue depth, refusals, process memory")
            .WithTags("service")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");

        app.MapOpenApi("/openapi.json");
        app.MapScalarApiReference("/docs", scalar =>
        {
            // Everything from this binary: the bundled scalar.js, system fonts, no telemetry or AI agent.
            scalar.WithTitle("SsdSharp detection service").WithOpenApiRoutePattern("/openapi.json").DisableDefaultFonts();
            scalar.Telemetry = false;
            scalar.Agent = new ScalarAgentOptions { Disabled = true };
        }).ExcludeFromDescription();
    }

    private static async Task<IReadOnlyList<ImageDetections>> DetectAsync(HttpContext context, DetectionPipeline pipeline, SsdDetector detector, ServeOptions options, bool many)
    {
        // Options first, so that a bad one is refused before the body is read.
        var request = DetectionQuery.Parse(context.Request.Query, new DetectionRequestOptions(detector.Detection, detector.Options.TestTimeAugmentation));
        var uploads = await ImageUpload.ReadAsync(context.Request, many, options.MaxUploadBytes, context.RequestAborted);
        if (request.Views * uploads.Count > options.QueueLimit)
            throw new HttpProblemException(StatusCodes.Status400BadRequest, "too many images",
                $"{uploads.Count} images{(request.TestTimeAugmentation ? " and their mirror images (tta)" : "")} in one request; the queue holds {options.QueueLimit} (--queue): send them in smaller requests");
        return await pipeline.DetectAsync(uploads, request, context.RequestAborted);
    }
}
