using SsdSharp.Video;

namespace SsdSharp.Tests.Video;

/// <summary>
/// What a source that gave no frame is told, for every kind of selection: the message must ask for the change that helps
/// (an earlier start, a span holding a frame, a stream with frames) and name only options that were given.
/// </summary>
public sealed class NoFrameMessageTests
{
    [Theory]
    [InlineData(0, null, 4.0, "v.mp4: no frame at all (it is 4 s long); expected a video stream that holds frames")]
    [InlineData(0, 0.5, null, "v.mp4: no frame in its first 0.5 s; expected a video stream that holds frames")]
    [InlineData(3.99, null, 4.0, "v.mp4: no frame at or after --start 3.99 s (it is 4 s long); expected an earlier start")]
    [InlineData(5, 1.0, 4.0, "v.mp4: no frame at or after --start 5 s (it is 4 s long); expected an earlier start")]
    [InlineData(1.01, 0.01, 4.0, "v.mp4: no frame from --start 1.01 s for --duration 0.01 s (it is 4 s long); expected a span that holds a frame")]
    [InlineData(1.01, 0.01, null, "v.mp4: no frame from --start 1.01 s for --duration 0.01 s; expected a span that holds a frame")]
    public void TheMessageAsksForWhatHelps(double start, double? duration, double? length, string expected) =>
        Assert.Equal(expected, new FrameSelection { Start = start, Duration = duration }.NoFrame("v.mp4", length).Message);
}
