using SsdSharp.Weights;

namespace SsdSharp.Cli;

/// <summary>
/// The output of a command that writes an SsdSharp model file (<c>convert</c>, <c>average</c>): its name must say
/// <c>.safetensors</c>, as <c>export</c>'s must say <c>.onnx</c>, because the commands that read models go by the
/// extension (a model file named <c>.onnx</c> would be read as a broken ONNX model).
/// </summary>
internal static class ModelFileOutput
{
    /// <exception cref="SsdInputException"><paramref name="path"/> does not end in <c>.safetensors</c>.</exception>
    public static void Check(string option, string path)
    {
        if (!ModelFile.HasModelFileExtension(path))
            throw new SsdInputException($"{option} {path}: expected a file name ending in .safetensors (an SsdSharp model file; ssd export writes .onnx)");
    }
}
