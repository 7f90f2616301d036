using SsdSharp.Serving;

namespace SsdSharp.Tests.Serving;

/// <summary>Dynamic batching on a stand-in network: who shares a forward pass, when a batch leaves, what the queue refuses.</summary>
public sealed class DynamicBatcherTests
{
    private const int Length = 3 * 300 * 300;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private static float[] Input(float marker)
    {
        var input = new float[Length];
        input[0] = marker;
        return input;
    }

    private static DynamicBatcher Batcher(GatedBackend backend, int maxBatch = 8, double delayMs = 5, int queue = 64) =>
        new(backend, Length, new ServeOptions { MaxBatch = maxBatch, MaxDelay = TimeSpan.FromMilliseconds(delayMs), QueueLimit = queue }, new ServingMetrics(maxBatch));

    [Fact]
    public async Task ImagesQueuedTogetherShareOneForwardPassAndEachGetsItsOwnPredictions()
    {
        using var backend = new GatedBackend();
        using var batcher = Batcher(backend, maxBatch: 8, delayMs: 2000);
        var slots = batcher.TryEnqueue([Input(10), Input(11), Input(12), Input(13), Input(14), Input(15), Input(16), Input(17)])!;
        var results = await Task.WhenAll(slots).WaitAsync(Long);
        Assert.Equal([8], backend.Batches);
        for (int i = 0; i < results.Length; i++)
            Assert.Equal(10 + i, results[i].Predictions.BoxesOf(results[i].Index)[0]);
    }

    [Fact]
    public async Task ConcurrentCallersAreGatheredWithinTheDelay()
    {
        using var backend = new GatedBackend();
        using var batcher = Batcher(backend, maxBatch: 4, delayMs: 3000);
        var callers = Enumerable.Range(0, 4).Select(i => Task.Run(() => batcher.TryEnqueue([Input(i)])![0])).ToArray();
        var results = await Task.WhenAll(callers).WaitAsync(Long);
        Assert.Equal([4], backend.Batches);
        Assert.Equal([0f, 1, 2, 3], results.Select(r => r.Predictions.BoxesOf(r.Index)[0]).Order());
    }

    [Fact]
    public async Task ABatchLeavesWhenTheDelayEndsEvenIfNotFull()
    {
        using var backend = new GatedBackend();
        using var batcher = Batcher(backend, maxBatch: 8, delayMs: 50);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await batcher.TryEnqueue([Input(1)])![0].WaitAsync(Long);
        Assert.Equal([1], backend.Batches);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(45), $"left after {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task NoBatchIsLargerThanTheMaximum()
    {
        using var backend = new GatedBackend();
        using var batcher = Batcher(backend, maxBatch: 4, delayMs: 1000);
        var slots = batcher.TryEnqueue(Enumerable.Range(0, 10).Select(i => Input(i)).ToArray())!;
        await Task.WhenAll(slots).WaitAsync(Long);
        Assert.Equal([4, 4, 2], backend.Batches);
    }

    [Fact]
    public async Task AFullQueueRefusesAllImagesOfARequestAndAcceptsAgainWhenItDrains()
    {
        using var backend = new GatedBackend(gated: true);
        using var batcher = Batcher(backend, maxBatch: 1, delayMs: 0, queue: 3);
        var first = batcher.TryEnqueue([Input(1)])!;
        Assert.True(backend.WaitStarted(Long));   // the first image is in the (held) forward pass, out of the queue
        var queued = batcher.TryEnqueue([Input(2), Input(3)])!;
        Assert.Equal(2, batcher.QueueDepth);
        Assert.Null(batcher.TryEnqueue([Input(4), Input(5)]));   // 2 + 2 > 3: neither is queued
        Assert.Equal(2, batcher.QueueDepth);
        Assert.True(batcher.RetryAfterSeconds >= 1);
        var last = batcher.TryEnqueue([Input(6)])!;   // 2 + 1 fits
        backend.Release(4);
        var results = await Task.WhenAll([.. first, .. queued, .. last]).WaitAsync(Long);
        Assert.Equal([1f, 2, 3, 6], results.Select(r => r.Predictions.BoxesOf(r.Index)[0]));
        Assert.Equal(0, batcher.QueueDepth);
    }

    [Fact]
    public async Task AFailedForwardPassFailsItsCallersOnlyAndBatchingGoesOn()
    {
        using var backend = new GatedBackend { Failure = new InvalidOperationException("device lost") };
        using var batcher = Batcher(backend, maxBatch: 2, delayMs: 1000);
        var failed = batcher.TryEnqueue([Input(1), Input(2)])!;
        foreach (var slot in failed)
            Assert.Equal("device lost", (await Assert.ThrowsAsync<InvalidOperationException>(() => slot.WaitAsync(Long))).Message);
        var next = await batcher.TryEnqueue([Input(3)])![0].WaitAsync(Long);
        Assert.Equal(3, next.Predictions.BoxesOf(next.Index)[0]);
    }

    [Fact]
    public async Task ACancelledImageCostsNoForwardPass()
    {
        using var backend = new GatedBackend(gated: true);
        using var batcher = Batcher(backend, maxBatch: 1, delayMs: 0);
        var first = batcher.TryEnqueue([Input(1)])!;
        Assert.True(backend.WaitStarted(Long));
        using var cancel = new CancellationTokenSource();
        var abandoned = batcher.TryEnqueue([Input(2)], cancel.Token)!;
        cancel.Cancel();
        backend.Release(2);
        await first[0].WaitAsync(Long);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned[0].WaitAsync(Long));
        var after = await batcher.TryEnqueue([Input(3)])![0].WaitAsync(Long);
        Assert.Equal(3, after.Predictions.BoxesOf(after.Index)[0]);
        Assert.Equal([1, 1], backend.Batches);
    }

    [Fact]
    public async Task DisposingFinishesWhatIsQueuedAndRefusesMore()
    {
        using var backend = new GatedBackend(gated: true);
        var batcher = Batcher(backend, maxBatch: 1, delayMs: 0);
        var queued = batcher.TryEnqueue([Input(1), Input(2)])!;
        Assert.True(backend.WaitStarted(Long));
        var disposing = Task.Run(batcher.Dispose);
        await Task.Delay(100);
        Assert.False(disposing.IsCompleted, "Dispose waits for the queued images");
        backend.Release(2);
        await disposing.WaitAsync(Long);
        Assert.Equal([1f, 2], (await Task.WhenAll(queued)).Select(r => r.Predictions.BoxesOf(r.Index)[0]));
        var refused = batcher.TryEnqueue([Input(3)])!;
        await Assert.ThrowsAsync<ServiceStoppingException>(() => refused[0]);
    }
}
