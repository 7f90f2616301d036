using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SsdSharp.Imaging;
using SsdSharp.Weights;

namespace SsdSharp.Serving;

/// <summary>
/// Answers every failed request with RFC 7807 <c>application/problem+json</c>: bad input (an undecodable
/// image, a bad option, a malformed form) is a 4xx naming what was wrong, overload a 503 with
/// <c>Retry-After</c>; only a fault of the service itself is a 500, logged with its stack trace and
/// answered without internals.
/// </summary>
internal sealed class ProblemResponses(RequestDelegate next, ILogger<ProblemResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the server is aborting the connection): there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var problem = Classify(e);
            if (problem.Status == StatusCodes.Status500InternalServerError)
                logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            if (problem.RetryAfterSeconds is int seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem(problem.Message, context.Request.Path, problem.Status, problem.Title).ExecuteAsync(context);
        }
    }

    private static HttpProblemException Classify(Exception e) => e switch
    {
        HttpProblemException problem => problem,
        ImageDecodeException decode => new(StatusCodes.Status400BadRequest, "invalid image", decode.Message),
        // The service's model, not the request, is at fault.
        WeightsException => new(StatusCodes.Status500InternalServerError, "model fault", "the service's model failed (damaged weights); its log has the details"),
        SsdInputException input => new(StatusCodes.Status400BadRequest, "invalid input", input.Message),
        BadHttpRequestException bad => new(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request body too large" : "bad request", bad.Message),
        ServiceStoppingException stopping => new(StatusCodes.Status503ServiceUnavailable, "service stopping", stopping.Message) { RetryAfterSeconds = 5 },
        _ => new(StatusCodes.Status500InternalServerError, "internal error", "an unexpected error in the service; its log has the details"),
    };
}
