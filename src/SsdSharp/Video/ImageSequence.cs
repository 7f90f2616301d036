using System.Runtime.CompilerServices;
using SsdSharp.Imaging;
using SsdSharp.Preprocessing;

namespace SsdSharp.Video;

/// <summary>
/// Image files taken as consecutive frames of a video, in the order given (<c>ssd detect --track FOLDER</c>: name
/// order), at <see cref="VideoInfo.DefaultFramesPerSecond"/>. Every image must have the first one's size.
/// </summary>
public sealed class ImageSequence : IFrameSource
{
    private readonly IReadOnlyList<string> _paths;
    private readonly FrameSelection _selection;

    /// <summary>A sequence named <paramref name="name"/> of <paramref name="paths"/> (at least one).</summary>
    /// <exception cref="ImageDecodeException">The first image cannot be read.</exception>
    /// <exception cref="SsdInputException">No images, or <c>--start</c> is past the last.</exception>
    public ImageSequence(string name, IReadOnlyList<string> paths, FrameSelection? selection = null)
    {
        if (paths.Count == 0) throw new SsdInputException($"{name}: no images");
        _paths = paths;
        _selection = (selection ?? new FrameSelection()).Validate();
        Name = name;
        using var first = ImageDecoder.Decode(paths[0]);
        double fps = VideoInfo.DefaultFramesPerSecond;
        Info = new VideoInfo(first.Width, first.Height, fps, paths.Count) { Duration = paths.Count / fps };
        if (_selection.FirstIndex(fps) >= paths.Count) throw _selection.NoFrame(name, Info.Duration);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public VideoInfo Info { get; }

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <inheritdoc/>
    /// <exception cref="ImageDecodeException">An image cannot be read.</exception>
    /// <exception cref="SsdInputException">An image's size differs from the first's.</exception>
    public async IAsyncEnumerable<VideoFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        double fps = Info.FramesPerSecond;
        long first = _selection.FirstIndex(fps);
        long last = _selection.Duration is { } d ? first + FrameSelection.FramesIn(d, fps) : _paths.Count;
        var admit = _selection.RateCap();
        for (long index = first; index < Math.Min(last, _paths.Count); index += _selection.Every)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double time = index / fps;
            if (!admit(time)) continue;
            var path = _paths[(int)index];
            // Decoding is the slow part: off the caller's thread, so that it overlaps detection.
            var pixels = await Task.Run(() => Decode(path), cancellationToken);
            yield return new VideoFrame(index, time, Info.Width, Info.Height, pixels);
        }
    }

    private byte[] Decode(string path)
    {
        using var bitmap = ImageDecoder.Decode(path);
        if (bitmap.Width != Info.Width || bitmap.Height != Info.Height)
            throw new SsdInputException($"{path}: {bitmap.Width}×{bitmap.Height}, but the sequence's frames are {Info.Width}×{Info.Height} (its first image's size)");
        // Read as a still image is (a translucent PNG's colours un-premultiplied), so that a frame gives the
        // detections `ssd detect` gives its file. The values are whole numbers 0-255: bytes hold them exactly.
        var image = RgbImage.FromBitmap(bitmap);
        var pixels = new byte[image.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)image.Pixels[i];
        return pixels;
    }
}
