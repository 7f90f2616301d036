using System.Diagnostics;
using System.Threading.Channels;
using SsdSharp.Inference;

namespace SsdSharp.Serving;

/// <summary>
/// Dynamic batching: images of concurrent requests are gathered, up to <see cref="ServeOptions.MaxBatch"/>
/// and for at most <see cref="ServeOptions.MaxDelay"/> after the first arrives, into one forward pass of
/// the backend, and each caller gets the batch's predictions with its image's index. Post-processing is
/// left to the callers, so that it runs on their threads, in parallel, with each request's own options,
/// while the next forward pass already runs.
/// </summary>
/// <remarks>
/// One worker runs the forward passes one after the other: a network on the CPU already uses every core
/// (libtorch's threads), and a bigger batch, not a second concurrent pass, is what raises throughput.
/// The queue is bounded by <see cref="ServeOptions.QueueLimit"/> images so that overload is answered at
/// once (503 with <c>Retry-After</c>) instead of growing latency and memory without limit.
/// </remarks>
public sealed class DynamicBatcher : IDisposable
{
    private readonly IInferenceBackend _backend;
    private readonly int _inputLength;
    private readonly ServeOptions _options;
    private readonly ServingMetrics _metrics;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;
    private int _depth;
    private long _lastForwardTicks;

    /// <summary>Starts the worker.</summary>
    /// <param name="backend">Runs the network; used by the worker only.</param>
    /// <param name="inputLength">Floats of one preprocessed image, <c>3 · S · S</c>.</param>
    /// <param name="options">Batch size, delay and queue limit.</param>
    /// <param name="metrics">Where batch sizes, forward times and the queue depth are recorded.</param>
    public DynamicBatcher(IInferenceBackend backend, int inputLength, ServeOptions options, ServingMetrics metrics)
    {
        _backend = backend;
        _inputLength = inputLength;
        _options = options.Validate();
        _metrics = metrics;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Images waiting for a forward pass.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>
    /// Seconds a client refused now should wait before retrying: the forward passes needed for the queue
    /// ahead of it at the last pass's speed, at least 1.
    /// </summary>
    public int RetryAfterSeconds
    {
        get
        {
            double batches = Math.Ceiling(QueueDepth / (double)_options.MaxBatch);
            double seconds = batches * Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _lastForwardTicks)).TotalSeconds;
            return (int)Math.Clamp(Math.Ceiling(seconds), 1, 60);
        }
    }

    /// <summary>
    /// Queues preprocessed images for forward passes, all or none: null when the queue cannot take them all, else a task
    /// per image that completes with its batch's predictions; once the batcher is stopping, the images not queued get
    /// tasks faulted with <see cref="ServiceStoppingException"/> (those queued before still run).
    /// </summary>
    /// <param name="inputs">Per image <c>[3, S, S]</c> float32 (<see cref="SsdDetector.Preprocess"/> of one image).</param>
    /// <param name="cancellationToken">A cancelled image is dropped from its batch if it has not run yet.</param>
    public Task<BatchSlot>[]? TryEnqueue(IReadOnlyList<float[]> inputs, CancellationToken cancellationToken = default)
    {
        foreach (var input in inputs)
            if (input.Length != _inputLength) throw new ArgumentException($"expected {_inputLength} floats per image, got {input.Length}", nameof(inputs));
        if (Interlocked.Add(ref _depth, inputs.Count) > _options.QueueLimit)
        {
            Refuse(inputs.Count);
            return null;
        }
        var tasks = new Task<BatchSlot>[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var pending = new Pending(inputs[i], cancellationToken);
            if (!_queue.Writer.TryWrite(pending))
            {
                // Stopping: nothing after i was queued; images before it still run.
                Refuse(inputs.Count - i);
                for (int j = i; j < tasks.Length; j++) tasks[j] = Task.FromException<BatchSlot>(new ServiceStoppingException());
                break;
            }
            tasks[i] = pending.Result.Task;
        }
        _metrics.QueueDepth.Set(QueueDepth);
        return tasks;
    }

    private void Refuse(int count)
    {
        Interlocked.Add(ref _depth, -count);
        _metrics.Refused.Inc(count);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await GatherAsync(batch).ConfigureAwait(false);
            Interlocked.Add(ref _depth, -batch.Count);
            _metrics.QueueDepth.Set(QueueDepth);
            // Callers that gave up (client gone) before their turn cost no forward pass.
            batch.RemoveAll(p => p.CancellationToken.IsCancellationRequested && p.Result.TrySetCanceled(p.CancellationToken));
            if (batch.Count > 0) Forward(batch);
            batch.Clear();
        }
    }

    /// <summary>Takes what is queued, and waits for more up to the batch size or the delay after the first image.</summary>
    private async Task GatherAsync(List<Pending> batch)
    {
        long deadline = 0;
        while (batch.Count < _options.MaxBatch)
        {
            if (_queue.Reader.TryRead(out var next))
            {
                if (batch.Count == 0) deadline = Stopwatch.GetTimestamp() + (long)(_options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
                batch.Add(next);
                continue;
            }
            if (batch.Count == 0) return;
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero) return;
            using var timeout = new CancellationTokenSource(remaining);
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Forward(List<Pending> batch)
    {
        var input = new float[batch.Count * _inputLength];
        for (int i = 0; i < batch.Count; i++) batch[i].Input.CopyTo(input, i * _inputLength);
        long start = Stopwatch.GetTimestamp();
        NetworkPredictions predictions;
        try
        {
            predictions = _backend.Run(input, batch.Count);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Result.TrySetException(e);
            return;
        }
        long ticks = Stopwatch.GetTimestamp() - start;
        Interlocked.Exchange(ref _lastForwardTicks, ticks);
        _metrics.ForwardSeconds.Observe(ticks / (double)Stopwatch.Frequency);
        _metrics.BatchSize.Observe(batch.Count);
        _metrics.Images.Inc(batch.Count);
        for (int i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(new BatchSlot(predictions, i));
    }

    /// <summary>Stops taking images and waits until the queued ones have run (their callers get their results).</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.GetAwaiter().GetResult();
    }

    private sealed record Pending(float[] Input, CancellationToken CancellationToken)
    {
        // Continuations run on the thread pool, not inline on the worker, which goes on to the next batch.
        public TaskCompletionSource<BatchSlot> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>An image's place in a batched forward pass: the batch's predictions and its index in them.</summary>
/// <param name="Predictions">The whole batch's decoded predictions (shared, read-only).</param>
/// <param name="Index">The image's index in <paramref name="Predictions"/>.</param>
public readonly record struct BatchSlot(NetworkPredictions Predictions, int Index);

/// <summary>The service is shutting down and takes no new images.</summary>
public sealed class ServiceStoppingException() : InvalidOperationException("the service is stopping");
