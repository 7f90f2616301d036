using System.Diagnostics;
using SsdSharp.Imaging;
using SsdSharp.Inference;

namespace SsdSharp.Bulk;

/// <summary>
/// A bulk detection job: the images of one <see cref="Shard"/> that its <see cref="JsonLinesOutput"/> has no
/// line for yet, detected through the pipeline of <see cref="SsdDetector.DetectEach"/> and written one line
/// per image as each is done. Run again on the same output after a crash or a kill, it does the rest: every
/// image ends with exactly one line.
/// </summary>
/// <example>
/// <code>
/// using var output = JsonLinesOutput.Resume("shard-3.jsonl");
/// var job = BulkDetection.Plan(images, new Shard(3, 8), output);
/// using var detector = SsdDetector.Load("model.safetensors");
/// var summary = job.Run(detector);
/// </code>
/// </example>
public sealed class BulkDetection
{
    private readonly JsonLinesOutput _output;

    private BulkDetection(JsonLinesOutput output, IReadOnlyList<BulkImage> inShard, IReadOnlyList<BulkImage> pending, int failedBefore, int foreign)
    {
        _output = output;
        InShard = inShard;
        Pending = pending;
        FailedBefore = failedBefore;
        ForeignLines = foreign;
    }

    /// <summary>The images of the shard, in input order.</summary>
    public IReadOnlyList<BulkImage> InShard { get; }

    /// <summary>The images of the shard without a line yet: what <see cref="Run"/> does.</summary>
    public IReadOnlyList<BulkImage> Pending { get; }

    /// <summary>Images of the shard that had an error line already.</summary>
    public int FailedBefore { get; }

    /// <summary>Lines already in the output that name no image of this shard (another shard's or input's output?).</summary>
    public int ForeignLines { get; }

    /// <summary>Keeps the images of <paramref name="shard"/> and leaves out those that <paramref name="output"/> has a line for.</summary>
    /// <param name="images">Every image of the job, in the order the lines should come.</param>
    /// <param name="shard">This process's part.</param>
    /// <param name="output">Where the lines go (a resumed file knows its images).</param>
    /// <exception cref="SsdInputException">Two different files would have the same name in the output.</exception>
    public static BulkDetection Plan(IEnumerable<BulkImage> images, Shard shard, JsonLinesOutput output)
    {
        var byName = new Dictionary<string, BulkImage>(StringComparer.Ordinal);
        var inShard = new List<BulkImage>();
        foreach (var image in images)
        {
            if (byName.TryGetValue(image.Name, out var seen))
            {
                // The same file given twice is one image; two files of one name could not be told apart in the output.
                if (seen.Path == image.Path) continue;
                throw new SsdInputException($"{seen.Path} and {image.Path} would both be named '{image.Name}' in the output: give their folders in separate runs");
            }
            byName.Add(image.Name, image);
            if (shard.Contains(image.Name)) inShard.Add(image);
        }
        var pending = inShard.Where(i => !output.Done.Contains(i.Name)).ToList();
        int failedBefore = inShard.Count(i => output.Failed.Contains(i.Name));
        var names = inShard.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        int foreign = output.Done.Count(name => !names.Contains(name));
        return new BulkDetection(output, inShard, pending, failedBefore, foreign);
    }

    /// <summary>Detects the <see cref="Pending"/> images and writes a line for each, in input order, as each is done.</summary>
    /// <param name="detector">The model.</param>
    /// <param name="onError">Told of each image that cannot be read (its error line is written either way).</param>
    /// <param name="progress">Told the number of images done in this run after each one.</param>
    /// <param name="cancellationToken">Stops between images; the lines written so far stay.</param>
    public BulkDetectionSummary Run(SsdDetector detector, Action<BulkImage, ImageDecodeException>? onError = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        int detected = 0, failed = 0, next = 0;
        foreach (var file in detector.DetectEach(Pending.Select(i => i.Path), cancellationToken))
        {
            var image = Pending[next++];
            if (file.Result is { } result)
            {
                _output.Write(result with { Image = image.Name });
                detected++;
            }
            else
            {
                _output.WriteError(image.Name, file.Error!.Reason);
                onError?.Invoke(image, file.Error);
                failed++;
            }
            progress?.Report(next);
        }
        return new BulkDetectionSummary(InShard.Count, InShard.Count - Pending.Count, detected, failed, FailedBefore, clock.Elapsed);
    }

    /// <summary>What <see cref="Run"/> would report with nothing left to do.</summary>
    public BulkDetectionSummary NothingToDo() => new(InShard.Count, InShard.Count - Pending.Count, 0, 0, FailedBefore, TimeSpan.Zero);
}
