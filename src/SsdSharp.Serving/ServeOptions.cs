using System.Net;

namespace SsdSharp.Serving;

/// <summary>Where the detection service listens and how it batches and bounds requests (<c>ssd serve</c>'s options).</summary>
public sealed record ServeOptions
{
    /// <summary>
    /// Address to listen on: an IP address (<c>0.0.0.0</c> or <c>::</c> for every interface) or <c>localhost</c>
    /// (the loopback addresses); loopback unless another is given, so that nothing is exposed by default. Host
    /// names are not accepted: Kestrel listens on every interface for any name but <c>localhost</c>, so a
    /// mistyped <c>locahost</c> would expose the service.
    /// </summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests, benchmarks).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Largest request body in bytes (an image, or all files of a batch request with their multipart framing).</summary>
    public long MaxUploadBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Most images in one forward pass.</summary>
    public int MaxBatch { get; init; } = 8;

    /// <summary>Longest time the first image of a batch waits for others to join it.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Most images waiting for a forward pass; beyond, requests are refused with 503 and <c>Retry-After</c>.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>The URL Kestrel binds, IPv6 addresses in brackets.</summary>
    public string Url => $"http://{(IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]" : Host)}:{Port}";

    /// <summary>Largest <see cref="MaxUploadBytes"/>: 1 GB, fifty times the default; a request body is held whole in memory.</summary>
    public const long MaxUploadLimit = 1L << 30;

    /// <summary>Longest <see cref="MaxDelay"/>: a request's first image waits at most this long for others to join its batch.</summary>
    public static TimeSpan MaxDelayLimit { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest <see cref="MaxBatch"/>, as of <c>ssd detect --batch</c>: the input alone of a batch takes B · 3 · S² floats.</summary>
    public const int MaxBatchLimit = 256;

    /// <summary>
    /// Largest <see cref="QueueLimit"/>: each waiting image is held as the network's input (3 · S² floats, 3 MB at
    /// 512 pixels), so the queue bounds the service's memory under load (12 GB at this limit, at 512 pixels).
    /// </summary>
    public const int MaxQueueLimit = 4096;

    /// <summary>Checks the values.</summary>
    /// <exception cref="SsdInputException">Naming the wrong option.</exception>
    public ServeOptions Validate()
    {
        bool localhost = string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase);
        if (!IsAddress(Host) && !localhost)
            throw new SsdInputException($"host: expected an IP address (0.0.0.0 or :: for every interface, IPv6 without brackets) or localhost, got '{Host}'");
        if (Port is < 0 or > 65535) throw new SsdInputException($"port: must be in [0, 65535], got {Port}");
        // Kestrel binds localhost as two addresses, which cannot share one port it would pick.
        if (localhost && Port == 0) throw new SsdInputException("port: 0 (any free port) needs an address; with localhost give a port, or use --host 127.0.0.1 or ::1");
        if (MaxUploadBytes is < 1 or > MaxUploadLimit)
            throw new SsdInputException($"max-upload-mb: must be positive and at most {MaxUploadLimit >> 20}, got {MaxUploadBytes / (1024.0 * 1024.0)}");
        if (MaxBatch is < 1 or > MaxBatchLimit) throw new SsdInputException($"max-batch: must be in [1, {MaxBatchLimit}], got {MaxBatch}");
        if (MaxDelay < TimeSpan.Zero || MaxDelay > MaxDelayLimit)
            throw new SsdInputException($"max-delay-ms: must be in [0, {MaxDelayLimit.TotalMilliseconds}], got {MaxDelay.TotalMilliseconds}");
        if (QueueLimit is < 1 or > MaxQueueLimit) throw new SsdInputException($"queue: must be in [1, {MaxQueueLimit}], got {QueueLimit}");
        return this;
    }

    /// <summary>
    /// Whether <paramref name="host"/> is an IP address written out: an IPv6 address without brackets, or four dotted
    /// numbers. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also takes <c>0</c> for 0.0.0.0 (every
    /// interface) and <c>[::1]</c> or <c>[::1]:80</c>, which <see cref="Url"/> would bracket again into a URL Kestrel
    /// reads as no address, binding every interface.
    /// </summary>
    private static bool IsAddress(string? host) =>
        host is not null && !host.Contains('[') && IPAddress.TryParse(host, out var address) &&
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || host.Count(c => c == '.') == 3);
}
