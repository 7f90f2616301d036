using SsdSharp.Data;
using SsdSharp.IO;

namespace SsdSharp.Cli;

/// <summary>The value of <c>--data</c> and <c>--eval-data</c>: a dataset spec, its COCO annotation file checked to be a regular file before a reader opens it.</summary>
internal static class DatasetArgument
{
    /// <exception cref="SsdInputException">Not a spec, or its annotation file is a folder, a FIFO or a device.</exception>
    public static DatasetSpec Parse(string text)
    {
        var spec = DatasetSpec.Parse(text);
        if (spec.Format == DatasetFormat.Coco) InputFile.CheckReadable(spec.AnnotationsFile, "a COCO annotation file (.json)");
        return spec;
    }
}
