using System.CommandLine;

namespace SsdSharp.Cli;

/// <summary>
/// <c>--weights</c> and <c>--init</c>: a model file, or the name of a model bundled with ssd
/// (<see cref="ModelResolver.BundledModels"/>). The names are for users of the installed tool, who cannot know
/// the folder the bundled files lie in. A file of that name in the working folder still wins.
/// </summary>
internal static class WeightsOption
{
    /// <summary>The option, its value resolved to a path when the command line is parsed.</summary>
    public static Option<string?> Create(string name, string description) => new(name)
    {
        Description = $"{description} A bundled model's name ({ModelResolver.BundledModels}) also works.",
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            // A folder passes here: the commands' own check of their input files refuses it with its own message.
            if (File.Exists(value) || Directory.Exists(value)) return value;
            if (ModelResolver.BundledModelPathOf(value) is { } bundled) return bundled;
            result.AddError($"{name}: no file '{value}', nor a bundled model of that name ({ModelResolver.BundledModels})");
            return null;
        },
    };
}
