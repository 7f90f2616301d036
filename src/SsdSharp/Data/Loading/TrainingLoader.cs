using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SsdSharp.Data.Augmentation;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using TorchSharp;

namespace SsdSharp.Data.Loading;

/// <summary>
/// Delivers training batches without end: worker threads decode and augment ahead of the trainer,
/// each holding at most <see cref="LoaderOptions.Prefetch"/> finished batches.
/// </summary>
/// <remarks>
/// Batch i is made by worker i mod W. Every sample's randomness comes from (seed, epoch, slot) and
/// every image from <see cref="EpochSampler"/>, so the batches are bit-identical whatever the number
/// of workers, and a loader started at iteration i gives what an uninterrupted run gives from i.
/// </remarks>
public sealed class TrainingLoader : IDisposable
{
    private readonly IReadOnlyList<ImageAnnotation> _images;
    private readonly AugmentationPipeline _pipeline;
    private readonly Action<string>? _report;
    private readonly ConcurrentDictionary<string, string> _skipped = new();
    private readonly CancellationTokenSource _stop = new();
    private BlockingCollection<WorkerResult>[] _queues = [];
    private Thread[] _threads = [];
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    /// <summary>A loader over <paramref name="images"/>; threads start with the first <see cref="Next"/>.</summary>
    /// <param name="images">The training set (boxes in 0-based pixels, class ids 1…K).</param>
    /// <param name="format">The network input (size, channel order, means): <see cref="NetworkInputFormat.From"/>.</param>
    /// <param name="options">Batching, workers, seed, augmentation; the reference's defaults when null.</param>
    /// <param name="report">Told once per skipped image, with the file and the reason.</param>
    /// <exception cref="SsdInputException">No images, or an option out of range.</exception>
    public TrainingLoader(IReadOnlyList<ImageAnnotation> images, NetworkInputFormat format, LoaderOptions? options = null, Action<string>? report = null)
    {
        if (images.Count == 0) throw new SsdInputException("loader: the training set has no images");
        Options = (options ?? new LoaderOptions()).Validate();
        _images = images;
        _report = report;
        _pipeline = AugmentationPipeline.ForTraining(format, Options.Augmentation);
        Sampler = new EpochSampler(images.Count, Options.Seed);
        NextIteration = Options.StartIteration;
    }

    /// <summary>The options in force.</summary>
    public LoaderOptions Options { get; }

    /// <summary>The image order of every epoch.</summary>
    public EpochSampler Sampler { get; }

    /// <summary>The iteration the next call to <see cref="Next"/> returns.</summary>
    public long NextIteration { get; private set; }

    /// <summary>Images skipped so far as corrupt (with <see cref="CorruptImagePolicy.Skip"/>): path and reason.</summary>
    public IReadOnlyDictionary<string, string> SkippedImages => _skipped;

    /// <summary>The next batch, waiting for the workers when they are behind. The caller owns and disposes it.</summary>
    /// <exception cref="ImageDecodeException">An image does not decode and the policy is <see cref="CorruptImagePolicy.Fail"/>.</exception>
    public TrainingBatch Next(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        if (_threads.Length == 0) StartWorkers();
        var queue = _queues[(NextIteration - Options.StartIteration) % Options.Workers];
        var result = queue.Take(cancellationToken);
        if (result.Error != null)
        {
            _failure = result.Error;
            result.Error.Throw();
        }
        NextIteration++;
        return result.Batch!;
    }

    /// <summary>Makes batch <paramref name="iteration"/> on the calling thread, using <paramref name="buffer"/> (B · 3 · S · S floats) as scratch.</summary>
    internal TrainingBatch MakeBatch(long iteration, float[] buffer)
    {
        int batchSize = Options.BatchSize, length = _pipeline.Format.Length;
        var targets = new SampleTargets[batchSize];
        for (int j = 0; j < batchSize; j++)
        {
            var position = Sampler.At(iteration * batchSize + j);
            var random = RandomSource.ForSample(Options.Seed, position.Epoch, position.Slot);
            targets[j] = _pipeline.Apply(LoadSample(position), random, buffer.AsSpan(j * length, length));
        }
        int size = _pipeline.Format.Size;
        var images = torch.tensor(buffer, [batchSize, 3, size, size]);
        return new TrainingBatch(iteration, images, targets);
    }

    /// <summary>Decodes the image at <paramref name="position"/>; under the skip policy a corrupt one gives way to the next in the epoch's order.</summary>
    private TrainingSample LoadSample(SamplePosition position)
    {
        var order = Sampler.Order(position.Epoch);
        for (int offset = 0; offset < order.Length; offset++)
        {
            var annotation = _images[order[(position.Slot + offset) % order.Length]];
            if (_skipped.ContainsKey(annotation.ImagePath)) continue;
            try
            {
                return ToSample(annotation, RgbImage.Decode(annotation.ImagePath));
            }
            catch (ImageDecodeException e) when (Options.CorruptImages == CorruptImagePolicy.Skip)
            {
                if (_skipped.TryAdd(annotation.ImagePath, e.Message)) _report?.Invoke($"{e.Message}; skipped");
            }
        }
        throw new SsdInputException($"loader: none of the {order.Length} training images decodes");
    }

    private TrainingSample ToSample(ImageAnnotation annotation, RgbImage image)
    {
        if (annotation.Width > 0 && annotation.Height > 0 && (annotation.Width != image.Width || annotation.Height != image.Height))
            throw new ImageDecodeException(annotation.ImagePath,
                $"decodes to {image.Width}×{image.Height} but its annotation says {annotation.Width}×{annotation.Height}");
        var boxes = new List<PixelBox>();
        var labels = new List<int>();
        foreach (var o in annotation.Objects)
        {
            if ((o.Difficult && !Options.KeepDifficult) || (o.Crowd && !Options.KeepCrowd)) continue;
            // Dataset validation should have fixed degenerate boxes already; clipping and dropping here
            // guarantees that none reaches the loss whatever the reader's policy.
            var box = new PixelBox(Math.Clamp(o.X1, 0, image.Width), Math.Clamp(o.Y1, 0, image.Height),
                Math.Clamp(o.X2, 0, image.Width), Math.Clamp(o.Y2, 0, image.Height));
            if (box.Width <= 0 || box.Height <= 0) continue;
            boxes.Add(box);
            labels.Add(o.ClassId);
        }
        return new TrainingSample(annotation.Id, new AugmentedImage(image), boxes.ToArray(), labels.ToArray());
    }

    private void StartWorkers()
    {
        int workers = Options.Workers;
        _queues = Enumerable.Range(0, workers).Select(_ => new BlockingCollection<WorkerResult>(Options.Prefetch)).ToArray();
        _threads = Enumerable.Range(0, workers).Select(k => new Thread(() => Work(k)) { IsBackground = true, Name = $"ssd-loader-{k}" }).ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    private void Work(int worker)
    {
        var queue = _queues[worker];
        var buffer = new float[Options.BatchSize * _pipeline.Format.Length];
        try
        {
            for (long iteration = Options.StartIteration + worker; !_stop.IsCancellationRequested; iteration += Options.Workers)
            {
                WorkerResult result;
                try
                {
                    result = new WorkerResult(MakeBatch(iteration, buffer), null);
                }
                catch (Exception e)
                {
                    queue.Add(new WorkerResult(null, ExceptionDispatchInfo.Capture(e)), _stop.Token);
                    return;
                }
                try
                {
                    queue.Add(result, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    result.Batch!.Dispose();
                    throw;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal stops the worker.
        }
    }

    /// <summary>Stops the workers and frees the batches they had ready.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        foreach (var thread in _threads) thread.Join();
        foreach (var queue in _queues)
        {
            while (queue.TryTake(out var result)) result.Batch?.Dispose();
            queue.Dispose();
        }
        _stop.Dispose();
    }

    private sealed record WorkerResult(TrainingBatch? Batch, ExceptionDispatchInfo? Error);
}
