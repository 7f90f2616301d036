using System.CommandLine;
using SsdSharp.IO;

namespace SsdSharp.Cli;

/// <summary><c>--force</c>: write into an output folder that holds files ssd did not write (see <see cref="OutputFolder"/>), or replace an output file.</summary>
internal static class ForceOption
{
    public static Option<bool> Create() => new("--force")
    {
        Description = "Write into an output folder that already holds files ssd did not write (files of the same names are replaced; inputs never are).",
    };

    /// <summary><c>--force</c> of a command whose outputs are files: what it replaces, in <paramref name="description"/>.</summary>
    public static Option<bool> Create(string description) => new("--force") { Description = description };
}
