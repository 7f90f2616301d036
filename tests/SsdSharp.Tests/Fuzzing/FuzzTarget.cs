namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// A parser under fuzzing: its valid seed inputs, and how to feed it one input. <see cref="Open"/> lays out
/// what the parser needs around the input (a dataset folder, the images it names) in a scratch folder once,
/// and returns the action that parses one input there; cases of one target run one at a time.
/// </summary>
/// <param name="Name">Names the target in test names, the corpus folder and the findings.</param>
/// <param name="Seeds">Makes the valid inputs that mutations start from.</param>
/// <param name="Open">Prepares the scratch folder and returns the parse of one input.</param>
internal sealed record FuzzTarget(string Name, Func<IReadOnlyList<byte[]>> Seeds, Func<string, Action<byte[]>> Open)
{
    public override string ToString() => Name;
}
