using System.Globalization;
using System.Threading.Channels;
using SkiaSharp;
using SsdSharp.Imaging;

namespace SsdSharp.Video;

/// <summary>
/// Writes a video of the frames with their detections drawn (boxes and captions as <c>ssd detect --draw</c> draws
/// them on images; with tracking, the tracked objects only, captioned with their ids, and their trails). Drawing
/// and encoding run on a task of their own behind a short queue, so that they overlap the next frames' detection.
/// </summary>
public sealed class AnnotatedVideo : IAsyncDisposable
{
    private readonly VideoWriter _writer;
    private readonly double _minScore;
    private readonly Channel<FrameDetections> _frames = Channel.CreateBounded<FrameDetections>(new BoundedChannelOptions(4) { SingleReader = true });
    private readonly Task _drawing;

    private AnnotatedVideo(VideoWriter writer, double minScore)
    {
        _writer = writer;
        _minScore = minScore;
        _drawing = Task.Run(DrawAll);
    }

    /// <summary>The file written.</summary>
    public string Path => _writer.Path;

    /// <summary>Frames written so far.</summary>
    public long Frames => _writer.Frames;

    /// <summary>Starts the video at <paramref name="path"/> for frames of <paramref name="info"/>'s size.</summary>
    /// <param name="path">The MP4 file.</param>
    /// <param name="info">The source's frame size.</param>
    /// <param name="framesPerSecond">The playing rate (the source's rate divided by <c>--every</c>, say).</param>
    /// <param name="minScore">Untracked detections below this score are not drawn.</param>
    public static AnnotatedVideo Create(string path, VideoInfo info, double framesPerSecond, double minScore) =>
        new(VideoWriter.Create(path, info.Width, info.Height, framesPerSecond), minScore);

    /// <summary>Queues a frame to draw and encode (waits while the queue is full).</summary>
    /// <exception cref="IOException">Encoding failed (FFmpeg's message).</exception>
    public async Task AddAsync(FrameDetections frame, CancellationToken cancellationToken = default)
    {
        if (!await _frames.Writer.WaitToWriteAsync(cancellationToken) || !_frames.Writer.TryWrite(frame))
        {
            await _drawing; // the drawing task ended: its error says why
            throw new InvalidOperationException($"{Path}: the video is complete");
        }
    }

    /// <summary>Draws the queued frames and ends the file so that it plays.</summary>
    public async Task CompleteAsync()
    {
        _frames.Writer.TryComplete();
        try
        {
            await _drawing;
        }
        finally
        {
            await _writer.CompleteAsync();
        }
    }

    private async Task DrawAll()
    {
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync())
                await _writer.WriteAsync(Draw(frame));
        }
        catch
        {
            _frames.Writer.TryComplete();
            throw;
        }
    }

    /// <summary>The frame as RGBA bytes with its detections (or tracks) drawn.</summary>
    private byte[] Draw(FrameDetections frame)
    {
        var f = frame.Frame;
        var rgba = new byte[f.Width * f.Height * 4];
        for (int i = 0, o = 0; i < f.Pixels.Length; i += 3, o += 4)
        {
            rgba[o] = f.Pixels[i];
            rgba[o + 1] = f.Pixels[i + 1];
            rgba[o + 2] = f.Pixels[i + 2];
            rgba[o + 3] = 255;
        }
        using var bitmap = new SKBitmap();
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(rgba, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            bitmap.InstallPixels(new SKImageInfo(f.Width, f.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), handle.AddrOfPinnedObject(), f.Width * 4);
            var detections = frame.Result.Detections;
            if (frame.Tracks is { } tracks)
            {
                TrailPainter.Draw(bitmap, tracks.Select(t => (t.Trail, t.TrackId)));
                BoxPainter.Draw(bitmap, tracks.OrderByDescending(t => detections[t.Detection].Score).Select(t =>
                {
                    var d = detections[t.Detection];
                    return new LabeledBox(d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2,
                        string.Create(CultureInfo.InvariantCulture, $"#{t.TrackId} {d.Label} {d.Score:F2}"), d.ClassId);
                }));
            }
            else
            {
                BoxPainter.Draw(bitmap, detections.Where(d => d.Score >= _minScore).Select(d =>
                    new LabeledBox(d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2, string.Create(CultureInfo.InvariantCulture, $"{d.Label} {d.Score:F2}"), d.ClassId)));
            }
        }
        finally
        {
            handle.Free();
        }
        return rgba;
    }

    /// <summary>Completes the video if that was not done.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteAsync();
        }
        finally
        {
            await _writer.DisposeAsync();
        }
    }
}
