using System.CommandLine;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd version</c>: the versions of SsdSharp and of the libtorch and ONNX Runtime it runs on.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the versions of SsdSharp, TorchSharp, libtorch and ONNX Runtime.");
        command.SetAction(_ => CommandRunner.Run(() =>
        {
            Console.WriteLine($"SsdSharp {LibraryVersion.Release}");
            Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {TorchSharp.torch.__version__}");
            Console.WriteLine($"ONNX Runtime {Inference.OnnxRuntimeBackend.Version}");
            return 0;
        }));
        return command;
    }
}
