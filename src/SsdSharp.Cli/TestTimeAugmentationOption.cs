using System.CommandLine;
using SsdSharp.Inference;

namespace SsdSharp.Cli;

/// <summary><c>--tta</c>: detect on each image and its mirror image, fused (<see cref="DetectorOptions.TestTimeAugmentation"/>).</summary>
internal static class TestTimeAugmentationOption
{
    /// <param name="suffix">What the option means in the command, after the general description.</param>
    public static Option<bool> Create(string suffix = "") => new("--tta")
    {
        Description = "Test-time augmentation: detect on each image and on its mirror image, and fuse the two views' boxes "
            + "(weighted box fusion at the NMS threshold). Twice the network's work." + suffix,
    };
}
