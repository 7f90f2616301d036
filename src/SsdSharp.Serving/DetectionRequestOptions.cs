using SsdSharp.Configuration;
using SsdSharp.Inference;

namespace SsdSharp.Serving;

/// <summary>What a detection request asks for (<see cref="DetectionQuery"/>), the service's defaults filling in the rest.</summary>
/// <param name="Detection">The post-processing: query options <c>conf</c>, <c>nms</c>, <c>top_k</c> and <c>max_detections</c>.</param>
/// <param name="TestTimeAugmentation">
/// Query option <c>tta</c>: detect on each image and on its mirror image and fuse the two views, as <c>ssd detect --tta</c>
/// (<see cref="DetectorOptions.TestTimeAugmentation"/>); both views take a place in the queue and the forward passes.
/// </param>
public sealed record DetectionRequestOptions(DetectionOptions Detection, bool TestTimeAugmentation)
{
    /// <summary>Network inputs per image: 2 with test-time augmentation (the image and its mirror image), else 1.</summary>
    public int Views => TestTimeAugmentation ? 2 : 1;
}
