using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SsdSharp.Video;

/// <summary>
/// Decodes a video file, camera or stream with <c>ffmpeg</c>, which writes raw RGB frames (<c>rgb24</c>) to a pipe:
/// decoding runs in its own process, alongside detection, and the frames reach .NET without any codec binding.
/// </summary>
public sealed class FrameReader : IFrameSource
{
    private readonly VideoSource _source;
    private readonly FrameSelection _selection;

    /// <summary>Opens <paramref name="source"/> (asks <c>ffprobe</c> for its size and rate).</summary>
    /// <exception cref="SsdInputException">FFmpeg is missing, the source cannot be opened, or <c>--start</c> was given for a live source.</exception>
    public FrameReader(VideoSource source, FrameSelection? selection = null)
    {
        _source = source;
        _selection = (selection ?? new FrameSelection()).Validate();
        if (source.IsLive && _selection.Start > 0) throw new SsdInputException($"{source.Location}: --start needs a video file; a live source starts now");
        Info = VideoInfo.Probe(source);
    }

    /// <inheritdoc/>
    public string Name => _source.Name;

    /// <inheritdoc/>
    public VideoInfo Info { get; }

    /// <inheritdoc/>
    public bool IsLive => _source.IsLive;

    /// <summary>FFmpeg's input options for <paramref name="source"/>, ending with <c>-i LOCATION</c>.</summary>
    internal static IEnumerable<string> InputArguments(VideoSource source) => source.Kind switch
    {
        VideoSourceKind.Camera => ["-f", "v4l2", "-i", source.Location],
        // TCP: RTSP over UDP loses packets (grey smears) on any busy network.
        VideoSourceKind.Stream when source.Location.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) => ["-rtsp_transport", "tcp", "-i", source.Location],
        _ => ["-i", source.Location],
    };

    /// <inheritdoc/>
    /// <exception cref="SsdInputException">
    /// FFmpeg fails before the first frame (a broken file, a stream that does not answer), decodes no frame of a file, or,
    /// after the last frame of a file, reports errors (a damaged file, or one cut short).
    /// </exception>
    public async IAsyncEnumerable<VideoFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        // Before -i: a fast seek to the key frame before, then exact decoding from there (FFmpeg's accurate_seek).
        if (_selection.Start > 0) arguments.AddRange(["-ss", Seconds(_selection.Start)]);
        arguments.AddRange(InputArguments(_source));
        if (_selection.Duration is { } duration) arguments.AddRange(["-t", Seconds(duration)]);
        // Passthrough: every decoded frame once, none duplicated or dropped to fit a rate, so that indices count source frames.
        arguments.AddRange(["-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);

        using var process = Ffmpeg.Start(Ffmpeg.FfmpegPath, arguments, writeInput: false);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var output = process.StandardOutput.BaseStream;
        int frameBytes = checked(Info.Width * Info.Height * 3);
        long first = IsLive ? 0 : _selection.FirstIndex(Info.FramesPerSecond);
        var clock = Stopwatch.StartNew();
        var admit = _selection.RateCap();
        long read = 0;
        try
        {
            while (true)
            {
                var pixels = new byte[frameBytes];
                if (await output.ReadAtLeastAsync(pixels, frameBytes, throwOnEndOfStream: false, cancellationToken) < frameBytes) break;
                long index = first + read++;
                double time = IsLive ? clock.Elapsed.TotalSeconds : index / Info.FramesPerSecond;
                if ((read - 1) % _selection.Every != 0) continue;
                if (!admit(time)) continue;
                yield return new VideoFrame(index, time, Info.Width, Info.Height, pixels);
            }
        }
        finally
        {
            // Left early (or cancelled): FFmpeg would block on a full pipe.
            if (!process.HasExited) process.Kill();
        }
        await process.WaitForExitAsync(CancellationToken.None);
        if (cancellationToken.IsCancellationRequested) yield break;
        var reported = VideoInfo.LastLine(await errors);
        if (process.ExitCode != 0 && read == 0)
            throw new SsdInputException($"{_source.Location}: ffmpeg could not decode it ({reported ?? $"exit code {process.ExitCode}"})");
        // Nothing decoded and no complaint: a start after the last frame, a span without one, or an empty stream. No
        // detections must not pass for a video without objects. (Known only now: a container's length may count a longer
        // audio stream, end a frame's time after the last, or be estimated from the bitrate.)
        if (!IsLive && read == 0 && reported == null)
            throw _selection.NoFrame(_source.Location, Info.Duration);
        // A file cut short (a copy that stopped, a recording killed mid-write) decodes up to the cut and FFmpeg still exits 0:
        // its complaints are the one sign, and a result that silently covers half the video must not pass for the whole.
        // They may also be about the first frames of a file otherwise whole, one that starts between key frames: which
        // complaint is about which frame cannot be told from FFmpeg's output, so the message says "may", and for such a file
        // why and how to make a clean copy (stream copy drops the packets before the first key frame). (Live sources
        // complain of lost packets all the time, and have no whole to cover.)
        if (!IsLive && (process.ExitCode != 0 || reported != null))
            throw new SsdInputException($"{_source.Location}: ffmpeg reported errors (last: {reported ?? $"exit code {process.ExitCode}"}) and decoded {read} frame(s): the file may be damaged or cut short; the results cover the frames decoded"
                                        + (Info.StartsWithKeyFrame ? "" : $"; it also starts between key frames, whose first frames FFmpeg cannot decode and complains of: 'ffmpeg -i {_source.Location} -map 0:v -c copy COPY.mp4' makes a copy that starts at its first key frame"));
    }

    private static string Seconds(double seconds) => seconds.ToString("0.######", CultureInfo.InvariantCulture);
}
