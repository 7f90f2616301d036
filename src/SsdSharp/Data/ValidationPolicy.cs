namespace SsdSharp.Data;

/// <summary>
/// What a reader does with a problem in the ground truth (a degenerate or out-of-image box, a malformed
/// object, an image that is missing or will not decode). Every problem is reported either way; no policy
/// lets a degenerate box through.
/// </summary>
public enum ValidationPolicy
{
    /// <summary>
    /// Repair what can be repaired: clip a box that leaves the image, take a missing or wrong image size
    /// from the image file. What cannot be repaired (an empty or inverted box, a malformed object) is skipped;
    /// an image that cannot be read is skipped.
    /// </summary>
    Fix,

    /// <summary>Skip every problem object (and any image that cannot be read), keeping the rest of its image.</summary>
    SkipObject,

    /// <summary>Skip every image with any problem.</summary>
    SkipImage,

    /// <summary>Stop at the first problem with a <see cref="DatasetValidationException"/>.</summary>
    Fail,
}
