using System.Collections.Concurrent;
using SkiaSharp;
using SsdSharp.Configuration;
using SsdSharp.Data.Synthetic;
using SsdSharp.Evaluation;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Inference;

/// <summary><see cref="SsdDetector.DetectEach"/>: decoding ahead of the backend, post-processing behind it, in input order.</summary>
public class DetectionPipelineTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ssd-pipeline").FullName;

    /// <summary>A backend that finds nothing and notes the size of each batch it is given.</summary>
    private sealed class RecordingBackend(Func<int, Exception?>? failOnBatch = null) : IInferenceBackend
    {
        public ConcurrentQueue<int> Batches { get; } = new();

        public SsdConfig Config => SsdPresets.Shapes300;

        public string Description => "recording";

        public NetworkPredictions Run(float[] input, int count)
        {
            Assert.Equal(count * 3 * Config.InputSize * Config.InputSize, input.Length);
            if (failOnBatch?.Invoke(Batches.Count) is { } error) throw error;
            Batches.Enqueue(count);
            int priors = Config.NumPriors, classes = Config.NumClasses;
            var scores = new float[count * priors * classes];
            for (int i = 0; i < scores.Length; i += classes) scores[i] = 1; // all background
            return new NetworkPredictions(count, priors, classes, new float[count * priors * 4], scores);
        }

        public void Dispose()
        {
        }
    }

    /// <summary>PNG files of distinct sizes (image i is (10 + i) × (20 + i)), with the given ones corrupt.</summary>
    private List<string> Images(int count, params int[] corrupt)
    {
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var path = Path.Combine(_folder, $"{i:D3}.png");
            using (var bitmap = new SKBitmap(10 + i, 20 + i))
            {
                bitmap.Erase(new SKColor((byte)(i * 10), 80, 160));
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(path, corrupt.Contains(i) ? data.ToArray()[..30] : data.ToArray());
            }
            paths.Add(path);
        }
        return paths;
    }

    [Fact]
    public void OneOutcomePerFileInInputOrderWithUnreadableFilesInPlace()
    {
        var paths = Images(20, 3, 11);
        paths.Insert(6, Path.Combine(_folder, "missing.png"));
        var backend = new RecordingBackend();
        using var detector = new SsdDetector(backend, new DetectorOptions { BatchSize = 4 });

        var outcomes = detector.DetectEach(paths).ToList();

        Assert.Equal(paths, outcomes.Select(o => o.Path));
        var failed = outcomes.Where(o => o.Error != null).Select(o => Path.GetFileName(o.Path)).ToList();
        Assert.Equal(["003.png", "missing.png", "011.png"], failed);
        Assert.All(outcomes.Where(o => o.Error != null), o => Assert.Null(o.Result));
        foreach (var outcome in outcomes.Where(o => o.Result != null))
        {
            int i = int.Parse(Path.GetFileNameWithoutExtension(outcome.Path));
            Assert.Equal((10 + i, 20 + i), (outcome.Result!.Width, outcome.Result.Height));
            Assert.Equal(outcome.Path, outcome.Result.Image);
        }
        // Batches are the consecutive four files, unreadable ones included, as they always were:
        // 0 1 2 (3) | 4 5 (missing) 6 | 7 8 9 10 | (11) 12 13 14 | 15 16 17 18 | 19.
        Assert.Equal([3, 3, 4, 3, 4, 1], backend.Batches);
    }

    [Fact]
    public void DetectFilesPassesUnreadableFilesToTheHandlerOrStopsWithTheirError()
    {
        var paths = Images(5, 2);
        using var detector = new SsdDetector(new RecordingBackend(), new DetectorOptions { BatchSize = 2 });
        var errors = new List<string>();
        Assert.Equal(4, detector.DetectFiles(paths, e => errors.Add(e.Path)).Count());
        Assert.Equal([paths[2]], errors);
        var error = Assert.Throws<ImageDecodeException>(() => detector.DetectFiles(paths).ToList());
        Assert.Equal(paths[2], error.Path);
    }

    [Fact]
    public void TheBundledModelGivesTheDetectionsOfDetectOnTheSameBatches()
    {
        var model = BundledDetector.ModelPath;
        SyntheticDataset.Generate(_folder, new SyntheticDatasetOptions { Images = 6, Seed = 3, MinSide = 120, MaxSide = 200 });
        var paths = Directory.GetFiles(Path.Combine(_folder, "JPEGImages")).Order(StringComparer.Ordinal).ToList();
        using var detector = SsdDetector.Load(model, new DetectorOptions { BatchSize = 4, Device = ComputeDevice.Cpu });

        var pipelined = detector.DetectEach(paths).Select(o => o.Result!).ToList();

        var batched = paths.Chunk(4).SelectMany(chunk => detector.Detect(chunk.Select(RgbImage.Decode).ToArray(), chunk)).ToList();
        Assert.Equal(DetectionFileWriter.ToJson(batched), DetectionFileWriter.ToJson(pipelined));
        Assert.Contains(pipelined, r => r.Detections.Count > 0);
    }

    /// <summary>An endless list of one image, counting the names taken from it.</summary>
    private sealed class EndlessInput(string image)
    {
        private int _taken;

        public int Taken => Volatile.Read(ref _taken);

        public IEnumerable<string> Paths()
        {
            while (true)
            {
                Interlocked.Increment(ref _taken);
                yield return image;
            }
        }
    }

    /// <summary>
    /// The most names the stages can hold beyond the outcomes the caller has been given: the rest of the
    /// caller's batch, two forwarded batches, the batch the forward thread holds, the decode look-ahead (two
    /// batches and a file per worker) and the name the listing thread is handing out.
    /// </summary>
    private static int LookAhead(int batchSize) => batchSize + 2 * batchSize + batchSize + 2 * batchSize + Environment.ProcessorCount + 1;

    /// <summary>Nothing moves any more: no batch is run and no name is taken.</summary>
    private static void AssertStopped(RecordingBackend backend, EndlessInput input)
    {
        int runs = backend.Batches.Count, taken = input.Taken;
        Thread.Sleep(200);
        Assert.Equal(runs, backend.Batches.Count);
        Assert.Equal(taken, input.Taken);
    }

    [Fact]
    public void LeavingEarlyStopsEveryStageAndReadsNoFurther()
    {
        var input = new EndlessInput(Images(1)[0]);
        var backend = new RecordingBackend();
        using var detector = new SsdDetector(backend, new DetectorOptions { BatchSize = 2 });

        Assert.Equal(5, detector.DetectEach(input.Paths()).Take(5).Count());

        // Returned only after every stage stopped.
        AssertStopped(backend, input);
        Assert.InRange(input.Taken, 5, 5 + LookAhead(2));
    }

    [Fact]
    public void WhileTheCallerWaitsTheStagesWaitWithABoundedLookAhead()
    {
        var input = new EndlessInput(Images(1)[0]);
        var backend = new RecordingBackend();
        using var detector = new SsdDetector(backend, new DetectorOptions { BatchSize = 3 });

        using (var outcomes = detector.DetectEach(input.Paths()).GetEnumerator())
        {
            Assert.True(outcomes.MoveNext());
            // The stages fill their bounded queues and wait: the names taken stop growing (unbounded, they would not).
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int taken;
            do
            {
                taken = input.Taken;
                Thread.Sleep(100);
            }
            while (taken != input.Taken && clock.Elapsed < TimeSpan.FromSeconds(30));
            Assert.InRange(input.Taken, 1, 1 + LookAhead(3));
            // The caller's batch, two forwarded and the one the forward thread holds.
            Assert.InRange(backend.Batches.Count, 1, 4);

            // The caller takes more, the stages go on.
            for (int i = 0; i < 2 * taken; i++) Assert.True(outcomes.MoveNext());
            Assert.True(input.Taken > taken);
        }
        AssertStopped(backend, input);
    }

    [Fact]
    public void AnErrorWhileWritingTheResultsStopsEveryStage()
    {
        var input = new EndlessInput(Images(1)[0]);
        var backend = new RecordingBackend();
        using var detector = new SsdDetector(backend, new DetectorOptions { BatchSize = 2 });
        int written = 0;

        var error = Assert.Throws<IOException>(() =>
        {
            foreach (var _ in detector.DetectEach(input.Paths()))
            {
                if (++written == 3) throw new IOException("no space left on device");
            }
        });

        Assert.Equal("no space left on device", error.Message);
        AssertStopped(backend, input);
        Assert.InRange(input.Taken, 3, 3 + LookAhead(2));
    }

    [Fact]
    public void ABackendErrorEndsTheEnumerationWithThatErrorAndStopsEveryStage()
    {
        var input = new EndlessInput(Images(1)[0]);
        var backend = new RecordingBackend(batch => batch == 1 ? new InvalidOperationException("out of device memory") : null);
        using var detector = new SsdDetector(backend, new DetectorOptions { BatchSize = 2 });
        var seen = new List<FileDetection>();

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var outcome in detector.DetectEach(input.Paths())) seen.Add(outcome);
        });

        Assert.Equal("out of device memory", error.Message);
        Assert.True(seen.Count <= 2, $"{seen.Count} results after the failed batch");
        Assert.Equal([2], backend.Batches);
        AssertStopped(backend, input);
    }

    [Fact]
    public void AnErrorWhileListingTheFilesEndsTheEnumerationWithIt()
    {
        var image = Images(1)[0];
        IEnumerable<string> Failing()
        {
            yield return image;
            throw new SsdInputException("listing: permission denied");
        }
        using var detector = new SsdDetector(new RecordingBackend());
        var error = Assert.Throws<SsdInputException>(() => detector.DetectEach(Failing()).ToList());
        Assert.Equal("listing: permission denied", error.Message);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        var paths = Images(12);
        using var cancel = new CancellationTokenSource();
        using var detector = new SsdDetector(new RecordingBackend(), new DetectorOptions { BatchSize = 2 });
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in detector.DetectEach(paths, cancel.Token)) cancel.Cancel();
        });
    }
}
