namespace SsdSharp.Serving;

/// <summary>A request the service refuses, answered as RFC 7807 <c>application/problem+json</c> with <see cref="Status"/>.</summary>
/// <param name="status">The HTTP status code (4xx, or 503 when overloaded).</param>
/// <param name="title">A short, fixed summary of the kind of problem.</param>
/// <param name="detail">What exactly was wrong with this request and what was expected.</param>
public sealed class HttpProblemException(int status, string title, string detail) : Exception(detail)
{
    /// <summary>The HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>The kind of problem.</summary>
    public string Title { get; } = title;

    /// <summary>Seconds after which a retry may succeed (the <c>Retry-After</c> header), for 503.</summary>
    public int? RetryAfterSeconds { get; init; }
}
