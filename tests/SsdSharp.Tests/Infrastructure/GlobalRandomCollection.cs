namespace SsdSharp.Tests.Infrastructure;

/// <summary>
/// Tests that need libtorch's process-wide random generator to themselves (a seeded trainer compared
/// with a resumed one): they run alone, after the parallel tests, so that no other test draws from the
/// generator between their seeding and their use of it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "libtorch global generator";
}
