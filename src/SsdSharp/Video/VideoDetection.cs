using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;
using SsdSharp.Tracking;

namespace SsdSharp.Video;

/// <summary>
/// Detection on a stream of frames: the source decodes ahead of the detector (FFmpeg in its own process, a bounded
/// queue between them), frames go through the network in batches, and each frame's result is handed out as soon as
/// its batch is done, in order, with track ids when tracking.
/// </summary>
/// <example>
/// <code>
/// using var detector = SsdDetector.Load("model.safetensors");
/// var video = new FrameReader(VideoSource.Parse("street.mp4"));
/// await foreach (var frame in detector.DetectAsync(video, new VideoDetectionOptions { Tracking = new TrackerOptions() }))
///     Console.WriteLine($"{frame.Frame.Index}: {frame.Tracks!.Count} tracked");
/// </code>
/// </example>
public static class VideoDetection
{
    /// <summary>
    /// Detects objects in every selected frame of <paramref name="source"/>. A file's frames are batched
    /// (<see cref="DetectorOptions.BatchSize"/>); a live source's frames are taken as they are (no waiting for a batch
    /// to fill), and when detection falls behind, the oldest waiting frames are dropped rather than delayed.
    /// </summary>
    /// <param name="detector">The model.</param>
    /// <param name="source">The frames.</param>
    /// <param name="options">Tracking and tiling.</param>
    /// <param name="cancellationToken">Ends the enumeration after the frame being detected (no error: a live source runs until stopped).</param>
    /// <exception cref="SsdInputException">The source fails (a broken file, FFmpeg missing), raised after the frames it gave before failing.</exception>
    public static async IAsyncEnumerable<FrameDetections> DetectAsync(this SsdDetector detector, IFrameSource source,
        VideoDetectionOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new VideoDetectionOptions();
        int batchSize = options.Tiles is null ? detector.Options.BatchSize : 1;
        var frames = Channel.CreateBounded<VideoFrame>(new BoundedChannelOptions(2 * batchSize)
        {
            FullMode = source.IsLive ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decoding = Task.Run(() => Decode(source, frames.Writer, stop.Token), CancellationToken.None);
        var tracker = options.Tracking is { } tracking ? new ObjectTracker(tracking) : null;
        try
        {
            while (await NextBatch(frames.Reader, batchSize, waitForFull: !source.IsLive, stop.Token) is { } batch)
            {
                var results = Detect(detector, batch, source.Name, options.Tiles);
                for (int i = 0; i < batch.Count; i++)
                    yield return new FrameDetections(source.Name, batch[i], results[i], tracker?.Update(results[i].Detections));
            }
            // The source's failure after the frames it gave: those frames are results (a file cut short keeps its first half).
            // (Stopped, the frames queued after the stop were not detected, and the stop is no error.)
            if (!stop.IsCancellationRequested && await decoding is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
        }
        finally
        {
            stop.Cancel();
            await decoding;
        }
    }

    /// <summary>Queues the source's frames; the queue ends either way, and a failure of the source is returned, to be raised after its frames.</summary>
    private static async Task<Exception?> Decode(IFrameSource source, ChannelWriter<VideoFrame> frames, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in source.ReadAsync(cancellationToken).WithCancellation(cancellationToken))
                await frames.WriteAsync(frame, cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            frames.TryComplete();
        }
    }

    /// <summary>The next frames, up to <paramref name="batchSize"/>; null at the end of the source or when stopped.</summary>
    private static async Task<List<VideoFrame>?> NextBatch(ChannelReader<VideoFrame> frames, int batchSize, bool waitForFull, CancellationToken cancellationToken)
    {
        var batch = new List<VideoFrame>(batchSize);
        try
        {
            while (batch.Count < batchSize)
            {
                if (frames.TryRead(out var frame))
                {
                    batch.Add(frame);
                    continue;
                }
                if (batch.Count > 0 && !waitForFull) break;
                if (!await frames.WaitToReadAsync(cancellationToken)) break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        return batch.Count > 0 ? batch : null;
    }

    private static IReadOnlyList<ImageDetections> Detect(SsdDetector detector, List<VideoFrame> batch, string name, TileOptions? tiles)
    {
        var images = new RgbImage[batch.Count];
        Parallel.For(0, batch.Count, i => images[i] = batch[i].ToRgbImage());
        if (tiles is null) return detector.Detect(images, batch.Select(_ => name).ToArray());
        return images.Select(image => detector.DetectTiled(image, tiles, name)).ToArray();
    }
}
