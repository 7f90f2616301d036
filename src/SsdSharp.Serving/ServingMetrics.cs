using Prometheus;

namespace SsdSharp.Serving;

/// <summary>
/// The service's Prometheus metrics, in a registry of their own (one per service, so that two services in
/// one process, as in the tests, do not mix their counts): HTTP requests and latency (prometheus-net's
/// middleware), the batch sizes, forward-pass time, queue depth and refusals of the batcher, and the
/// process's memory and CPU.
/// </summary>
public sealed class ServingMetrics
{
    /// <summary>Creates the metrics; batch-size buckets are 1, 2, … <paramref name="maxBatch"/>, so the histogram is the exact distribution.</summary>
    public ServingMetrics(int maxBatch)
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        BatchSize = factory.CreateHistogram("ssd_batch_size", "Images per forward pass.",
            new HistogramConfiguration { Buckets = Histogram.LinearBuckets(1, 1, maxBatch) });
        ForwardSeconds = factory.CreateHistogram("ssd_forward_seconds", "Time of one batched forward pass of the network.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        QueueDepth = factory.CreateGauge("ssd_queue_depth", "Images waiting for a forward pass.");
        Refused = factory.CreateCounter("ssd_refused_total", "Images refused because the queue was full or the service stopping.");
        Images = factory.CreateCounter("ssd_images_total", "Images through the network (with tta, each image and its mirror image).");
    }

    /// <summary>The registry <c>GET /metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Images per forward pass.</summary>
    public Histogram BatchSize { get; }

    /// <summary>Seconds per forward pass.</summary>
    public Histogram ForwardSeconds { get; }

    /// <summary>Images waiting.</summary>
    public Gauge QueueDepth { get; }

    /// <summary>Images refused (503).</summary>
    public Counter Refused { get; }

    /// <summary>Images detected.</summary>
    public Counter Images { get; }
}
