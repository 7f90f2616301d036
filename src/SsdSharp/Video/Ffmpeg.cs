using System.Diagnostics;

namespace SsdSharp.Video;

/// <summary>
/// Finds and starts the FFmpeg programs (<c>ffmpeg</c>, <c>ffprobe</c>) that read and write video. SsdSharp drives
/// them as separate processes over pipes of raw frames (docs/video.md says why); they come from the system
/// (<c>tools/setup-video.sh</c>, or Debian's <c>ffmpeg</c> package), or from the folder in <c>SSDSHARP_FFMPEG_DIR</c>.
/// </summary>
public static class Ffmpeg
{
    /// <summary>An environment variable naming a folder with <c>ffmpeg</c> and <c>ffprobe</c>, searched before <c>PATH</c>.</summary>
    public const string FolderVariable = "SSDSHARP_FFMPEG_DIR";

    /// <summary>How to get FFmpeg, for messages.</summary>
    public const string InstallHint = "install FFmpeg (tools/setup-video.sh, or apt-get install ffmpeg) or set " + FolderVariable;

    private static readonly Lazy<string?> FfmpegFile = new(() => Find("ffmpeg"));
    private static readonly Lazy<string?> FfprobeFile = new(() => Find("ffprobe"));

    /// <summary>Whether both programs were found.</summary>
    public static bool IsAvailable => FfmpegFile.Value != null && FfprobeFile.Value != null;

    /// <summary>The path of <c>ffmpeg</c>.</summary>
    /// <exception cref="SsdInputException">It is not installed.</exception>
    public static string FfmpegPath => FfmpegFile.Value ?? throw Missing("ffmpeg");

    /// <summary>The path of <c>ffprobe</c>.</summary>
    /// <exception cref="SsdInputException">It is not installed.</exception>
    public static string FfprobePath => FfprobeFile.Value ?? throw Missing("ffprobe");

    private static SsdInputException Missing(string program) => new($"{program} not found: video needs FFmpeg; {InstallHint}");

    /// <summary>Starts <paramref name="program"/> with its output (and, when asked, its input) redirected; standard error is collected.</summary>
    internal static Process Start(string program, IEnumerable<string> arguments, bool writeInput)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = writeInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new SsdInputException($"{program}: could not be started");
    }

    private static string? Find(string program)
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder) folders.Add(folder);
        folders.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string name = OperatingSystem.IsWindows() ? program + ".exe" : program;
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
    }
}
