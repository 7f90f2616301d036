namespace SsdSharp.Tests.Infrastructure;

/// <summary>
/// Tests that set <see cref="SsdSharp.Imaging.ImageDecoder.MaxPixels"/>, a process-wide limit, and read it back: in one
/// collection they run one after another, so that none sees the value another has just set.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PixelLimitCollection
{
    public const string Name = "process-wide pixel limit";
}
