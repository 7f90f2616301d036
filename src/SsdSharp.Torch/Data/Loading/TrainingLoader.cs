using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SsdSharp.Data.Augmentation;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Matching;
using TorchSharp;
using SsdSharp.Preprocessing;
using SsdSharp.Boxes;

namespace SsdSharp.Data.Loading;

/// <summary>
/// The training data of SSD as an endless, reproducible stream of batches: worker threads decode and
/// augment (SPEC §6) ahead of the trainer, each holding at most <see cref="LoaderOptions.Prefetch"/>
/// finished batches.
/// </summary>
/// <remarks>
/// Batch i holds sample positions i·B … i·B + B − 1 of the <see cref="EpochSampler"/>; every sample's
/// randomness comes from (seed, epoch, slot). Batch i is made by worker i mod W, and the batches are
/// bit-identical whatever the number of workers; an enumeration started at iteration i gives what an
/// enumeration from 0 gives from i on (trainer resume).
/// </remarks>
public sealed class TrainingLoader : IBatchSource
{
    private readonly IReadOnlyList<ImageAnnotation> _images;
    private readonly AugmentationPipeline _pipeline;
    private readonly Action<string>? _report;
    private readonly ConcurrentDictionary<string, string> _skipped = new();

    /// <summary>A loader over <paramref name="images"/>; threads run only while <see cref="Batches"/> is enumerated.</summary>
    /// <param name="images">The training set (boxes in 0-based pixels, class ids 1…K).</param>
    /// <param name="format">The network input (size, channel order, means): <see cref="NetworkInputFormat.From"/>.</param>
    /// <param name="options">Batching, workers, seed, augmentation; the reference's defaults when null.</param>
    /// <param name="report">Told once per skipped image, with the file and the reason (called on a worker thread).</param>
    /// <exception cref="SsdInputException">No images, or an option out of range.</exception>
    public TrainingLoader(IReadOnlyList<ImageAnnotation> images, NetworkInputFormat format, LoaderOptions? options = null, Action<string>? report = null)
    {
        if (images.Count == 0) throw new SsdInputException("loader: the training set has no images");
        Options = (options ?? new LoaderOptions()).Validate();
        _images = images;
        _report = report;
        _pipeline = AugmentationPipeline.ForTraining(format, Options.Augmentation);
        Sampler = new EpochSampler(images.Count, Options.Seed);
    }

    /// <summary>The options in force.</summary>
    public LoaderOptions Options { get; }

    /// <summary>The image order of every epoch.</summary>
    public EpochSampler Sampler { get; }

    /// <summary>Images skipped so far as corrupt (with <see cref="CorruptImagePolicy.Skip"/>): path and reason.</summary>
    public IReadOnlyDictionary<string, string> SkippedImages => _skipped;

    /// <summary>
    /// The batches of iterations <paramref name="startIteration"/>, <paramref name="startIteration"/> + 1, …,
    /// without end. Workers start with the enumeration and stop when it is disposed. The caller disposes each batch.
    /// </summary>
    /// <exception cref="ImageDecodeException">From <c>MoveNext</c>: an image does not decode and the policy is <see cref="CorruptImagePolicy.Fail"/>.</exception>
    public IEnumerable<TrainingBatch> Batches(long startIteration, CancellationToken cancellationToken)
    {
        if (startIteration < 0) throw new ArgumentOutOfRangeException(nameof(startIteration), $"must not be negative, got {startIteration}");
        using var workers = new Workers(this, startIteration);
        for (long iteration = startIteration; ; iteration++)
            yield return workers.Take(iteration, cancellationToken);
    }

    /// <summary>Makes batch <paramref name="iteration"/> on the calling thread, using <paramref name="buffer"/> (B · 3 · S · S floats) as scratch.</summary>
    internal TrainingBatch MakeBatch(long iteration, float[] buffer)
    {
        int batchSize = Options.BatchSize, length = _pipeline.Format.Length, size = _pipeline.Format.Size;
        var samples = new SampleTargets[batchSize];
        for (int j = 0; j < batchSize; j++)
        {
            var position = Sampler.At(iteration * batchSize + j);
            var random = RandomSource.ForSample(Options.Seed, position.Epoch, position.Slot);
            samples[j] = _pipeline.Apply(LoadSample(position), random, buffer.AsSpan(j * length, length));
        }
        using var scope = torch.NewDisposeScope();
        var images = torch.tensor(buffer, [batchSize, 3, size, size]).MoveToOuterDisposeScope();
        var targets = samples.Select(s => new ImageTargets(
            torch.tensor(s.Boxes, [s.Count, 4]).MoveToOuterDisposeScope(),
            torch.tensor(s.Labels.Select(l => (long)l).ToArray(), [s.Count]).MoveToOuterDisposeScope())).ToArray();
        return new TrainingBatch(images, targets, samples.Select(s => s.ImageId).ToArray());
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
        // Which objects are trained on (difficult, crowd) and that their boxes are proper is decided once,
        // when the dataset is read (DatasetReadOptions.ForTraining); a box that escaped validation is refused.
        // Kept difficult and crowd objects are objects, or ignored regions (negative labels) under IgnoreDifficult.
        var invalid = annotation.Objects.FirstOrDefault(o => !o.FitsImage(image.Width, image.Height));
        if (invalid != null)
            throw new SsdInputException($"{annotation.ImagePath}: object box ({invalid.X1}, {invalid.Y1}, {invalid.X2}, {invalid.Y2}) " +
                                        $"is not inside the {image.Width}×{image.Height} image; read the dataset through DatasetReader, which validates it");
        var boxes = annotation.Objects.Select(o => new PixelBox(o.X1, o.Y1, o.X2, o.Y2)).ToArray();
        var labels = annotation.Objects.Select(o => Options.IgnoreDifficult && o.DifficultOrCrowd ? -o.ClassId : o.ClassId).ToArray();
        return new TrainingSample(annotation.Id, new AugmentedImage(image), boxes, labels);
    }

    /// <summary>The threads of one enumeration: worker k makes batches start + k, start + k + W, … into its own bounded queue.</summary>
    private sealed class Workers : IDisposable
    {
        private readonly TrainingLoader _loader;
        private readonly long _start;
        private readonly CancellationTokenSource _stop = new();
        private readonly BlockingCollection<WorkerResult>[] _queues;
        private readonly Thread[] _threads;

        public Workers(TrainingLoader loader, long start)
        {
            _loader = loader;
            _start = start;
            int count = loader.Options.Workers;
            _queues = Enumerable.Range(0, count).Select(_ => new BlockingCollection<WorkerResult>(loader.Options.Prefetch)).ToArray();
            _threads = Enumerable.Range(0, count).Select(k => new Thread(() => Work(k)) { IsBackground = true, Name = $"ssd-loader-{k}" }).ToArray();
            foreach (var thread in _threads) thread.Start();
        }

        /// <summary>Batch <paramref name="iteration"/>, waiting for its worker; rethrows the worker's error.</summary>
        public TrainingBatch Take(long iteration, CancellationToken cancellationToken)
        {
            var result = _queues[(iteration - _start) % _queues.Length].Take(cancellationToken);
            result.Error?.Throw();
            return result.Batch!;
        }

        private void Work(int worker)
        {
            var queue = _queues[worker];
            var buffer = new float[_loader.Options.BatchSize * _loader._pipeline.Format.Length];
            try
            {
                for (long iteration = _start + worker; !_stop.IsCancellationRequested; iteration += _queues.Length)
                {
                    WorkerResult result;
                    try
                    {
                        result = new WorkerResult(_loader.MakeBatch(iteration, buffer), null);
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
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Disposal stopped the worker while it waited to report an error; nobody wants it any more.
            }
        }

        /// <summary>Stops the workers and frees the batches they had ready.</summary>
        public void Dispose()
        {
            _stop.Cancel();
            foreach (var thread in _threads) thread.Join();
            foreach (var queue in _queues)
            {
                while (queue.TryTake(out var result)) result.Batch?.Dispose();
                queue.Dispose();
            }
            _stop.Dispose();
        }
    }

    private sealed record WorkerResult(TrainingBatch? Batch, ExceptionDispatchInfo? Error);
}
