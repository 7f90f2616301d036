using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SsdSharp.Imaging;
using SsdSharp.Preprocessing;

namespace SsdSharp.Inference;

/// <summary>
/// Detection over many files as overlapping stages, so that the backend never waits on decoding:
/// decode-and-preprocess workers (one per core) work ahead of the forward pass, one forward thread runs
/// the backend batch after batch, and post-processing happens on the caller's thread as it takes the
/// results, while the next batches are decoded and run. Every queue between the stages is bounded, so
/// memory stays flat however many files there are (a few batches of network input).
/// </summary>
/// <remarks>
/// Batches are the consecutive <see cref="DetectorOptions.BatchSize"/> files of the input, unreadable ones
/// included, as <see cref="SsdDetector.DetectFiles"/> always made them: the same files give the same
/// forward passes, hence the same detections, whatever the timing. Results come in input order.
/// </remarks>
internal sealed class DetectionPipeline
{
    /// <summary>Forwarded batches that may wait for the caller: enough to keep the backend busy while it writes.</summary>
    private const int ForwardedBatches = 2;

    private readonly SsdDetector _detector;
    private readonly NetworkInputFormat _format;
    private readonly int _workers = Environment.ProcessorCount;

    public DetectionPipeline(SsdDetector detector)
    {
        _detector = detector;
        _format = NetworkInputFormat.From(detector.Config);
    }

    /// <summary>One file as the workers leave it: its network input and size, or its error.</summary>
    private sealed record Prepared(string Path, float[]? Input, int Width, int Height, ImageDecodeException? Error);

    /// <summary>A batch after the backend: the files in order and the predictions of the readable ones.</summary>
    private sealed record Forwarded(IReadOnlyList<Prepared> Files, NetworkPredictions? Predictions);

    /// <summary>Runs the stages over <paramref name="paths"/> (enumerated once, lazily, on a thread of its own).</summary>
    /// <remarks>
    /// Leaving the enumeration early (or an error in any stage) stops every stage and waits for them, so
    /// the backend is no longer in use when this returns; an error of a stage is thrown here, as it was thrown.
    /// </remarks>
    public IEnumerable<FileDetection> Run(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fault = new Fault(stop);
        int batchSize = _detector.Options.BatchSize;
        // Files handed out, in input order; the bound is the look-ahead of decoding (two batches beyond the one being filled).
        using var pending = new BlockingCollection<Task<Prepared>>(2 * batchSize + _workers);
        using var work = new BlockingCollection<(string Path, TaskCompletionSource<Prepared> Done)>();
        using var forwarded = new BlockingCollection<Forwarded>(ForwardedBatches);
        var threads = new List<Thread>
        {
            Start("ssd enumerate", () => Enumerate(paths, pending, work, stop.Token), fault),
            Start("ssd forward", () => ForwardAll(pending, forwarded, batchSize, stop.Token), fault),
        };
        for (int i = 0; i < _workers; i++)
            threads.Add(Start($"ssd decode {i + 1}", () => Decode(work, stop.Token), fault));
        try
        {
            while (Take(forwarded, fault, stop.Token) is { } batch)
            {
                foreach (var result in Finish(batch))
                    yield return result;
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var thread in threads) thread.Join();
        }
        // A stage may end its queue before it has recorded its error (finally blocks run first): checked once all are done.
        fault.ThrowIfSet();
    }

    private static Thread Start(string name, Action body, Fault fault)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (OperationCanceledException) when (fault.Stopping)
            {
                // Stopped by the caller, by leaving the enumeration, or by another stage's error.
            }
            catch (Exception e)
            {
                fault.Set(e);
            }
        })
        { Name = name, IsBackground = true };
        thread.Start();
        return thread;
    }

    private static void Enumerate(IEnumerable<string> paths, BlockingCollection<Task<Prepared>> pending,
        BlockingCollection<(string, TaskCompletionSource<Prepared>)> work, CancellationToken stop)
    {
        try
        {
            foreach (var path in paths)
            {
                var done = new TaskCompletionSource<Prepared>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending.Add(done.Task, stop);
                work.Add((path, done), stop);
            }
        }
        finally
        {
            pending.CompleteAdding();
            work.CompleteAdding();
        }
    }

    private void Decode(BlockingCollection<(string Path, TaskCompletionSource<Prepared> Done)> work, CancellationToken stop)
    {
        foreach (var (path, done) in work.GetConsumingEnumerable(stop))
        {
            try
            {
                done.SetResult(Prepare(path));
            }
            catch (Exception e)
            {
                // Not an unreadable image (those are results): the forward thread rethrows it and the run stops.
                done.SetException(e);
            }
        }
    }

    private Prepared Prepare(string path)
    {
        RgbImage image;
        try
        {
            image = RgbImage.Decode(path);
        }
        catch (ImageDecodeException e)
        {
            return new Prepared(path, null, 0, 0, e);
        }
        var input = new float[_format.Length];
        Preprocess.ToNetworkInput(image, _format, input);
        return new Prepared(path, input, image.Width, image.Height, null);
    }

    private void ForwardAll(BlockingCollection<Task<Prepared>> pending, BlockingCollection<Forwarded> forwarded, int batchSize, CancellationToken stop)
    {
        try
        {
            var batch = new List<Prepared>(batchSize);
            foreach (var file in pending.GetConsumingEnumerable(stop))
            {
                batch.Add(Await(file, stop));
                if (batch.Count < batchSize) continue;
                forwarded.Add(Forward(batch), stop);
                batch = new List<Prepared>(batchSize);
            }
            if (batch.Count > 0) forwarded.Add(Forward(batch), stop);
        }
        finally
        {
            forwarded.CompleteAdding();
        }
    }

    private static Prepared Await(Task<Prepared> file, CancellationToken stop)
    {
        try
        {
            file.Wait(stop);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return file.Result;
    }

    private Forwarded Forward(List<Prepared> batch)
    {
        var readable = batch.Where(f => f.Error is null).ToArray();
        // The files go on without their input (a megabyte each at 300 × 300), which the batch's copy replaces.
        var files = batch.Select(f => f with { Input = null }).ToArray();
        if (readable.Length == 0) return new Forwarded(files, null);
        int length = _format.Length;
        var input = new float[readable.Length * length];
        for (int i = 0; i < readable.Length; i++) readable[i].Input.CopyTo(input.AsSpan(i * length, length));
        return new Forwarded(files, _detector.Forward(input, readable.Length));
    }

    private IEnumerable<FileDetection> Finish(Forwarded batch)
    {
        var readable = batch.Files.Where(f => f.Error is null).ToArray();
        var results = batch.Predictions is null ? []
            : _detector.PostProcess(batch.Predictions, readable.Select(f => (f.Width, f.Height)).ToArray(), readable.Select(f => f.Path).ToArray());
        int next = 0;
        foreach (var file in batch.Files)
            yield return file.Error is null ? new FileDetection(file.Path, results[next++], null) : new FileDetection(file.Path, null, file.Error);
    }

    /// <summary>The next forwarded batch, or null at the end; a stage's error is thrown here.</summary>
    private static Forwarded? Take(BlockingCollection<Forwarded> forwarded, Fault fault, CancellationToken stop)
    {
        try
        {
            if (forwarded.TryTake(out var batch, Timeout.Infinite, stop)) return batch;
        }
        catch (OperationCanceledException)
        {
            fault.ThrowIfSet();
            throw;
        }
        fault.ThrowIfSet();
        return null;
    }

    /// <summary>The first error of any stage; setting it stops the others.</summary>
    private sealed class Fault(CancellationTokenSource stop)
    {
        private ExceptionDispatchInfo? _error;

        public bool Stopping => stop.IsCancellationRequested;

        public void Set(Exception error)
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(error), null);
            stop.Cancel();
        }

        public void ThrowIfSet() => Volatile.Read(ref _error)?.Throw();
    }
}
