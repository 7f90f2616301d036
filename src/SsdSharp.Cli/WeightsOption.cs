using System.CommandLine;

namespace SsdSharp.Cli;

/// <summary>
/// <c>--weights</c> and <c>--init</c>: a model file, or the name of a model bundled with ssd
/// (<see cref="ModelResolver.BundledModels"/>). The names are for users of the installed tool, who cannot know
/// the folder the bundled files lie in. A file of that name in the working folder still wins; a folder does not
/// (a run's output folder is often named after its configuration).
/// </summary>
internal static class WeightsOption
{
    /// <summary>The option, its value resolved to a path when the command line is parsed.</summary>
    public static Option<string?> Create(string name, string description) => new(name)
    {
        Description = $"{description} Also the name of a bundled model ({Names}), unless a file of that name is in the working folder.",
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            if (File.Exists(value)) return value;
            if (ModelResolver.BundledModelPathOf(value) is { } bundled)
            {
                if (File.Exists(bundled)) return bundled;
                result.AddError($"{name}: {ModelResolver.MissingBundledModel(bundled)}");
                return null;
            }
            // A folder passes here: the commands' own check of their input files refuses it as a folder.
            if (Directory.Exists(value)) return value;
            result.AddError($"{name}: no file '{value}', nor a bundled model of that name ({Names})");
            return null;
        },
    };

    private static string Names => string.Join(", ", ModelResolver.BundledModels);
}
