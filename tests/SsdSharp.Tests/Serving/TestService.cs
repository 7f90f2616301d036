using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using SsdSharp.Inference;
using SsdSharp.Serving;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// The detection service under test: on ASP.NET's in-memory test server (<see cref="Client"/>), or on
/// Kestrel at a free loopback port (<see cref="BaseAddress"/>; for the browser and shutdown tests). Its
/// log lines are captured in <see cref="Log"/>.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, HttpClient client, LogCapture log)
    {
        App = app;
        Client = client;
        Log = log;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public LogCapture Log { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public static async Task<TestService> StartAsync(SsdDetector detector, ServeOptions? options = null, bool kestrel = false)
    {
        var log = new LogCapture();
        var app = DetectionServer.Build(detector, options ?? new ServeOptions { Port = 0 }, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(log);
            if (!kestrel) builder.WebHost.UseTestServer();
        });
        await app.StartAsync();
        var client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        return new TestService(app, client, log);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Collects the formatted log messages of every category.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly List<(string Category, string Message)> _lines = [];

    public IReadOnlyList<string> Lines(string category)
    {
        lock (_lines) return _lines.Where(l => l.Category == category).Select(l => l.Message).ToArray();
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (owner._lines) owner._lines.Add((category, formatter(state, exception)));
        }
    }
}
