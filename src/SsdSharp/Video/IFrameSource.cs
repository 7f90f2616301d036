namespace SsdSharp.Video;

/// <summary>Consecutive frames to detect: a video through FFmpeg (<see cref="FrameReader"/>) or a folder of images (<see cref="ImageSequence"/>).</summary>
public interface IFrameSource
{
    /// <summary>The name of the source in results and of its annotated video.</summary>
    string Name { get; }

    /// <summary>Frame size and rate.</summary>
    VideoInfo Info { get; }

    /// <summary>Whether frames come at the source's own pace and do not wait for the reader (a camera, a stream).</summary>
    bool IsLive { get; }

    /// <summary>The selected frames, in order, each as it is decoded. Stopping the enumeration stops the decoding.</summary>
    IAsyncEnumerable<VideoFrame> ReadAsync(CancellationToken cancellationToken = default);
}
