namespace SsdSharp.IO;

/// <summary>The checks shared by output files and folders: the way to them can be made, and they can be written.</summary>
internal static class OutputLocation
{
    /// <summary>Refuses <paramref name="path"/> when a file stands where one of its folders would have to be.</summary>
    /// <exception cref="SsdInputException">A file on the way.</exception>
    public static void CheckCreatable(string what, string path)
    {
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(path)); folder != null; folder = Path.GetDirectoryName(folder))
        {
            if (Directory.Exists(folder)) return;
            if (File.Exists(folder)) throw new SsdInputException($"{what} {path}: {folder} is a file, not a folder");
        }
    }

    /// <summary>Runs <paramref name="write"/>, turning a refusal by the file system into one line naming the path.</summary>
    /// <exception cref="SsdInputException">Permission denied, or another I/O failure.</exception>
    public static void Writing(string what, string path, Action write)
    {
        try
        {
            write();
        }
        catch (UnauthorizedAccessException)
        {
            throw new SsdInputException($"{what} {path}: cannot write there (permission denied)");
        }
        catch (IOException e)
        {
            throw new SsdInputException($"{what} {path}: cannot write there ({e.Message})");
        }
    }
}
