using SsdSharp.Video;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>
/// A test that needs FFmpeg: skipped, saying how to install it, where <c>ffmpeg</c> and <c>ffprobe</c> are not found; once
/// <c>SSD_TEST_FFMPEG=required</c> is set, as <c>.ci/run</c> does after <c>tools/setup-video.sh</c> succeeded, it runs and
/// a missing FFmpeg fails it instead, so that the video tests cannot be skipped unnoticed.
/// </summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (!Ffmpeg.IsAvailable && Environment.GetEnvironmentVariable("SSD_TEST_FFMPEG") != "required")
            Skip = $"FFmpeg not found: {Ffmpeg.InstallHint} (SSD_TEST_FFMPEG=required turns this skip into a failure)";
    }
}
