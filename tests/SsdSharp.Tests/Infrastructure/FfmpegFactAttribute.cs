using SsdSharp.Video;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>A test that needs FFmpeg: skipped, saying how to install it, where <c>ffmpeg</c> and <c>ffprobe</c> are not found.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (!Ffmpeg.IsAvailable) Skip = $"FFmpeg not found: {Ffmpeg.InstallHint}";
    }
}
