using System.Globalization;

namespace SsdSharp.Video;

/// <summary>What a video source is: a file, a camera device, or a network stream.</summary>
public enum VideoSourceKind
{
    /// <summary>A video file (MP4, MKV, AVI, MOV, WebM…): it has an end, and can be sought.</summary>
    File,

    /// <summary>A V4L2 camera (<c>/dev/videoN</c>): live, runs until stopped.</summary>
    Camera,

    /// <summary>An RTSP, RTMP, HTTP(S), UDP or SRT stream: live, runs until stopped or until the sender ends it.</summary>
    Stream,
}

/// <summary>A video to read with FFmpeg: where it is, what kind it is, and a name for its results.</summary>
/// <param name="Location">The file path, device path or URL, as FFmpeg takes it.</param>
/// <param name="Kind">File, camera or stream.</param>
/// <param name="Name">The name in the results and of the annotated video (the file's name; <c>video0</c> for a camera; host and path of a URL).</param>
public sealed record VideoSource(string Location, VideoSourceKind Kind, string Name)
{
    private static readonly string[] StreamSchemes = ["rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "tcp", "srt"];

    /// <summary>Video file extensions that <c>ssd detect</c> takes as videos.</summary>
    public static IReadOnlySet<string> FileExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mkv", ".avi", ".mov", ".webm", ".mpg", ".mpeg", ".ts", ".flv", ".wmv", ".3gp",
    };

    /// <summary>Whether the source runs until stopped (a camera or a stream).</summary>
    public bool IsLive => Kind != VideoSourceKind.File;

    /// <summary>Camera <c>/dev/video<paramref name="index"/></c>.</summary>
    public static VideoSource Camera(int index)
    {
        if (index < 0) throw new SsdInputException($"--camera: must be 0 or more, got {index}");
        var name = "video" + index.ToString(CultureInfo.InvariantCulture);
        return new VideoSource("/dev/" + name, VideoSourceKind.Camera, name);
    }

    /// <summary>A source from what a user typed: a URL, a <c>/dev/video*</c> device, or a file.</summary>
    public static VideoSource Parse(string input)
    {
        if (TryParseUrl(input) is { } url) return url;
        if (input.StartsWith("/dev/video", StringComparison.Ordinal)) return new VideoSource(input, VideoSourceKind.Camera, Path.GetFileName(input));
        return new VideoSource(input, VideoSourceKind.File, Path.GetFileName(input));
    }

    /// <summary>Whether <paramref name="input"/> names a video rather than an image or a folder: a URL, a camera, or a file with a video extension.</summary>
    public static bool IsVideo(string input) =>
        TryParseUrl(input) != null || input.StartsWith("/dev/video", StringComparison.Ordinal) || FileExtensions.Contains(Path.GetExtension(input));

    private static VideoSource? TryParseUrl(string input)
    {
        if (!Uri.TryCreate(input, UriKind.Absolute, out var uri) || !StreamSchemes.Contains(uri.Scheme)) return null;
        // host_port_path: a name that is safe as a file name.
        var name = string.Concat((uri.Host + (uri.IsDefaultPort ? "" : "_" + uri.Port) + uri.AbsolutePath.TrimEnd('/'))
            .Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        return new VideoSource(input, VideoSourceKind.Stream, name);
    }
}
