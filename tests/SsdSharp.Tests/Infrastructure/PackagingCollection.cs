namespace SsdSharp.Tests.Infrastructure;

/// <summary>
/// Tests that pack or publish the repository's projects: one at a time, so that no two builds of the same
/// project write its output at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection
{
    public const string Name = "packing and publishing";
}
