using System.Globalization;
using System.Text.Json.Nodes;

namespace SsdSharp.Video;

/// <summary>What FFmpeg reports of a video's first video stream.</summary>
/// <param name="Width">Frame width in pixels, as decoded (rotation applied).</param>
/// <param name="Height">Frame height in pixels, as decoded.</param>
/// <param name="FramesPerSecond">The nominal frame rate (frame index / rate = time, for constant-rate video).</param>
/// <param name="FrameCount">Frames in the stream when the container says; null for live sources and some files.</param>
public sealed record VideoInfo(int Width, int Height, double FramesPerSecond, long? FrameCount)
{
    /// <summary>
    /// Whether a file's first video packet is a key frame; false for a file that starts between key frames (an excerpt of
    /// a stream, often MPEG-TS), whose first frames need ones it lacks: FFmpeg leaves them out and complains of them.
    /// True for live sources and when unknown.
    /// </summary>
    public bool StartsWithKeyFrame { get; init; } = true;

    /// <summary>A file's length in seconds as its container says (it may count a longer audio stream, or be estimated from the bitrate); null for live sources and when unknown.</summary>
    public double? Duration { get; init; }

    /// <summary>The frame rate assumed when a source reports none (some cameras and streams).</summary>
    public const double DefaultFramesPerSecond = 25;

    /// <summary>Asks <c>ffprobe</c> about <paramref name="source"/>'s first video stream.</summary>
    /// <exception cref="SsdInputException">FFmpeg is missing, the source cannot be opened, or it has no video.</exception>
    public static VideoInfo Probe(VideoSource source, CancellationToken cancellationToken = default)
    {
        using var process = Ffmpeg.Start(Ffmpeg.FfprobePath,
        [
            "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,nb_frames:stream_side_data=rotation" + (source.IsLive ? "" : ":packet=flags:format=duration"),
            // A file's first packet only: whether it is a key frame (a live source is not read for it).
            .. (source.IsLive ? Array.Empty<string>() : ["-read_intervals", "%+#1"]),
            "-of", "json", .. FrameReader.InputArguments(source),
        ], writeInput: false);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
        var probed = JsonNode.Parse(output.Result);
        var stream = probed?["streams"]?.AsArray().FirstOrDefault();
        if (process.ExitCode != 0 || stream is null)
        {
            var reason = LastLine(error.Result) ?? "no video stream";
            throw new SsdInputException($"{source.Location}: cannot read it as a video ({reason})");
        }
        int width = (int?)stream["width"] ?? 0, height = (int?)stream["height"] ?? 0;
        // Phone videos store portrait frames landscape with a rotation, which FFmpeg applies when decoding.
        var rotation = stream["side_data_list"]?.AsArray().Select(d => (int?)d?["rotation"]).FirstOrDefault(r => r != null) ?? 0;
        if (Math.Abs(rotation) % 180 == 90) (width, height) = (height, width);
        double fps = Rate((string?)stream["avg_frame_rate"]) ?? Rate((string?)stream["r_frame_rate"]) ?? DefaultFramesPerSecond;
        long? frames = long.TryParse((string?)stream["nb_frames"], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
        if (width <= 0 || height <= 0) throw new SsdInputException($"{source.Location}: the video stream has no frame size");
        var firstPacket = (string?)probed?["packets"]?.AsArray().FirstOrDefault()?["flags"];
        double? duration = double.TryParse((string?)probed?["format"]?["duration"], CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : null;
        return new VideoInfo(width, height, fps, frames) { StartsWithKeyFrame = firstPacket is null || firstPacket.StartsWith('K'), Duration = duration };
    }

    /// <summary>An FFmpeg rate such as <c>30000/1001</c>; null for <c>0/0</c> (unknown).</summary>
    private static double? Rate(string? text)
    {
        var parts = text?.Split('/');
        if (parts is not { Length: 2 }
            || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out var num)
            || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var den) || num <= 0 || den <= 0) return null;
        return num / den;
    }

    /// <summary>FFmpeg's last message in <paramref name="text"/>; not its "Last message repeated N times", which says nothing by itself.</summary>
    internal static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(line => !line.StartsWith("Last message repeated", StringComparison.Ordinal));
}
