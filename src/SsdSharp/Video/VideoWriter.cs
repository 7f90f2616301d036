using System.Diagnostics;
using System.Globalization;

namespace SsdSharp.Video;

/// <summary>
/// Encodes RGBA frames to an H.264 MP4 with <c>ffmpeg</c>, fed through a pipe, in its own process (encoding
/// overlaps whatever produces the frames). The MP4 is fragmented — a self-contained fragment each key frame, one
/// a second — so that the file plays whenever it is cut off: after Ctrl-C, a kill, or a crash, it holds every
/// fragment finished so far; <see cref="CompleteAsync"/> ends it with the last one.
/// </summary>
public sealed class VideoWriter : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Task<string> _errors;
    private readonly int _frameBytes;
    private bool _completed;

    /// <summary>The largest frame side FFmpeg's H.264 encoder (libx264) takes; wider frames fail when it opens.</summary>
    public const int MaxSide = 16384;

    /// <summary>
    /// The slowest playing rate written: one frame per 100 s. Far slower rates fail in the MP4 muxer (a frame's
    /// duration overflows its time base), after the work that made the frames.
    /// </summary>
    public const double MinFramesPerSecond = 0.01;

    /// <summary>The fastest playing rate written (far faster than any camera; 100,000 fails in the MP4 muxer).</summary>
    public const double MaxFramesPerSecond = 1000;

    /// <summary>The extension of the files written: the container is MP4 whatever the path's name says.</summary>
    public const string FileExtension = ".mp4";

    private VideoWriter(string path, Process process, int width, int height)
    {
        Path = path;
        _process = process;
        _input = process.StandardInput.BaseStream;
        _errors = process.StandardError.ReadToEndAsync();
        Width = width;
        Height = height;
        _frameBytes = width * height * 4;
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Starts writing <paramref name="path"/> (replaced if it exists; its folder is created).</summary>
    /// <param name="path">The MP4 file.</param>
    /// <param name="width">Frame width in pixels, 1 to <see cref="MaxSide"/> (an odd size is padded by a pixel: H.264's 4:2:0 needs even sides).</param>
    /// <param name="height">Frame height in pixels, 1 to <see cref="MaxSide"/>.</param>
    /// <param name="framesPerSecond">The playing rate, <see cref="MinFramesPerSecond"/> to <see cref="MaxFramesPerSecond"/>.</param>
    /// <exception cref="SsdInputException">FFmpeg is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side or the rate is out of range.</exception>
    public static VideoWriter Create(string path, int width, int height, double framesPerSecond)
    {
        if (width is <= 0 or > MaxSide || height is <= 0 or > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"frame sides must be 1 to {MaxSide}, got {width}×{height}");
        if (!(framesPerSecond is >= MinFramesPerSecond and <= MaxFramesPerSecond))
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), $"frame rate must be {MinFramesPerSecond} to {MaxFramesPerSecond}, got {framesPerSecond}");
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        string fps = framesPerSecond.ToString("0.######", CultureInfo.InvariantCulture);
        int keyFrameEvery = Math.Max(1, (int)Math.Round(framesPerSecond));
        var process = Ffmpeg.Start(Ffmpeg.FfmpegPath,
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}", "-framerate", fps, "-i", "-",
            "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", keyFrameEvery.ToString(CultureInfo.InvariantCulture),
            // The container named, not left to the extension: the file may be a temporary one (AtomicFile.WriteThrough).
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4",
            path,
        ], writeInput: true);
        return new VideoWriter(path, process, width, height);
    }

    /// <summary>Sends one frame: <c>Width · Height</c> pixels of R, G, B, A bytes, row-major, no padding.</summary>
    /// <exception cref="IOException">FFmpeg stopped (its message says why).</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> rgba, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (rgba.Length != _frameBytes) throw new ArgumentException($"a {Width}×{Height} RGBA frame has {_frameBytes} bytes, got {rgba.Length}", nameof(rgba));
        try
        {
            await _input.WriteAsync(rgba, cancellationToken);
        }
        catch (IOException e)
        {
            await _process.WaitForExitAsync(CancellationToken.None);
            throw new IOException($"{Path}: ffmpeg stopped ({VideoInfo.LastLine(await _errors) ?? e.Message})", e);
        }
        Frames++;
    }

    /// <summary>Ends the input and waits for FFmpeg to write the last fragment.</summary>
    /// <exception cref="IOException">FFmpeg failed.</exception>
    public async Task CompleteAsync()
    {
        if (_completed) return;
        _completed = true;
        try
        {
            await _input.DisposeAsync();
        }
        catch (IOException)
        {
            // FFmpeg is gone already; its exit code and message tell why.
        }
        await _process.WaitForExitAsync(CancellationToken.None);
        if (_process.ExitCode != 0)
            throw new IOException($"{Path}: ffmpeg failed ({VideoInfo.LastLine(await _errors) ?? $"exit code {_process.ExitCode}"})");
    }

    /// <summary>Completes the file (if not yet done) and releases the process.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
