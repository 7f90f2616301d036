using System.Runtime.CompilerServices;
using SkiaSharp;
using SsdSharp.Imaging;

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
    public ImageSequence(string name, IReadOnlyList<string> paths, FrameSelection? selection = null)
    {
        if (paths.Count == 0) throw new SsdInputException($"{name}: no images");
        _paths = paths;
        _selection = (selection ?? new FrameSelection()).Validate();
        Name = name;
        using var first = ImageDecoder.Decode(paths[0]);
        Info = new VideoInfo(first.Width, first.Height, VideoInfo.DefaultFramesPerSecond, paths.Count);
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
        long first = (long)Math.Ceiling(_selection.Start * fps - 1e-6);
        long last = _selection.Duration is { } d ? first + (long)Math.Ceiling(d * fps - 1e-6) : _paths.Count;
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
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var source = (rgba ?? bitmap).GetPixelSpan();
        int rowBytes = (rgba ?? bitmap).RowBytes;
        var pixels = new byte[Info.Width * Info.Height * 3];
        for (int y = 0; y < Info.Height; y++)
        {
            var row = source.Slice(y * rowBytes, Info.Width * 4);
            for (int x = 0; x < Info.Width; x++)
                row.Slice(x * 4, 3).CopyTo(pixels.AsSpan((y * Info.Width + x) * 3, 3));
        }
        return pixels;
    }
}
