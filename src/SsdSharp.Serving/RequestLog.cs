using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SsdSharp.Serving;

/// <summary>One log line per request: method, path, status (or <c>aborted</c> when the client left) and milliseconds.</summary>
internal sealed class RequestLog(RequestDelegate next, ILoggerFactory loggers)
{
    /// <summary>The log category of the request lines.</summary>
    public const string Category = "ssd.serve";

    private readonly ILogger _log = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            object status = context.RequestAborted.IsCancellationRequested ? "aborted" : context.Response.StatusCode;
            _log.LogInformation("{Method} {Path} {Status} {Milliseconds:F1} ms", context.Request.Method, context.Request.Path.Value, status,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
