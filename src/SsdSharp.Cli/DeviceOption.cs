using System.CommandLine;
using SsdSharp.Inference;

namespace SsdSharp.Cli;

/// <summary>The <c>--device</c> option of the commands that run a network.</summary>
internal static class DeviceOption
{
    public static Option<string> Create() => new("--device")
    {
        Description = "auto (a CUDA GPU when there is one, else the CPU), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    /// <exception cref="SsdInputException">Not a device name.</exception>
    public static ComputeDevice Parse(ParseResult parse, Option<string> option) => ComputeDevice.Parse(parse.GetValue(option)!);
}
