using System.Text;

namespace SsdSharp.IO;

/// <summary>The checks shared by output files and folders: the way to them can be made, and they can be written.</summary>
internal static class OutputLocation
{
    /// <summary>
    /// Refuses <paramref name="path"/> when a name in it is longer than a file system takes, or a file stands where
    /// one of its folders would have to be.
    /// </summary>
    /// <exception cref="SsdInputException">A name too long, or a file on the way.</exception>
    public static void CheckCreatable(string what, string path)
    {
        foreach (var name in Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            int bytes = Encoding.UTF8.GetByteCount(name);
            if (bytes > AtomicFile.MaxFileNameBytes)
                throw new SsdInputException($"{what} {path}: a name in it is {bytes} bytes long; file systems take names of at most {AtomicFile.MaxFileNameBytes} bytes");
        }
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
