using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using SsdSharp.Inference;
using SsdSharp.Serving;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>Overload, shutdown and real sockets, on a stand-in network whose forward passes the tests hold and release.</summary>
public sealed class ServiceLifecycleTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    private static ByteArrayContent Sample() => DetectionApiTests.Jpeg(BundledDetector.Sample(2));

    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfterAndTheQueuedRequestsStillSucceed()
    {
        var backend = new GatedBackend(gated: true);
        using var detector = new SsdDetector(backend);
        await using var service = await TestService.StartAsync(detector, new ServeOptions { Port = 0, MaxBatch = 1, MaxDelay = TimeSpan.Zero, QueueLimit = 1 });
        var running = service.Client.PostAsync("/v1/detect", Sample());
        Assert.True(backend.WaitStarted(Long));
        var queued = service.Client.PostAsync("/v1/detect", Sample());
        await WaitUntil(() => service.App.Services.GetService(typeof(DynamicBatcher)) is DynamicBatcher { QueueDepth: 1 });

        var refused = await service.Client.PostAsync("/v1/detect", Sample());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
        Assert.Contains("queue", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());

        backend.Release(2);
        Assert.Equal(HttpStatusCode.OK, (await running.WaitAsync(Long)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued.WaitAsync(Long)).StatusCode);
        Assert.Contains("ssd_refused_total 1", await service.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task StoppingFinishesTheRequestsInFlightAndThenRefusesConnections()
    {
        var backend = new GatedBackend(gated: true);
        using var detector = new SsdDetector(backend);
        var service = await TestService.StartAsync(detector, kestrel: true);
        var address = service.BaseAddress;
        var inFlight = service.Client.PostAsync("/v1/detect", Sample());
        Assert.True(backend.WaitStarted(Long));

        var stopping = service.App.StopAsync();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "the server waits for the request in flight");
        backend.Release();
        var response = await inFlight.WaitAsync(Long);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upload", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["image"]!.GetValue<string>());
        await stopping.WaitAsync(Long);
        using var fresh = new HttpClient { BaseAddress = address };
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/healthz"));
        await service.DisposeAsync();
    }

    [Fact]
    public async Task AGigabyteUploadOverASocketIsRefusedWith413BeforeItArrives()
    {
        using var detector = new SsdDetector(new GatedBackend());
        await using var service = await TestService.StartAsync(detector, kestrel: true);
        using var socket = new TcpClient();
        await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = socket.GetStream();
        var head = $"POST /v1/detect HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nContent-Type: image/jpeg\r\nContent-Length: {1L << 30}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[1 << 20]);   // 1 MB of the gigabyte; the answer must not wait for the rest
        var buffer = new byte[4096];
        int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Long);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 413 ", answer);
        Assert.Contains("application/problem+json", answer);
        Assert.Equal("ok\n", await service.Client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task ReadinessTurns503WhenTheServiceBeginsToStop()
    {
        var backend = new GatedBackend(gated: true);
        using var detector = new SsdDetector(backend);
        await using var service = await TestService.StartAsync(detector);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/readyz")).StatusCode);
        service.App.Lifetime.StopApplication();
        var response = await service.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Long) Assert.Fail("condition not reached in a minute");
            await Task.Delay(10);
        }
    }
}
