namespace SsdSharp.IO;

/// <summary>
/// Checks a path that is to be read as a file before anything opens it: a folder is named as such, and a
/// FIFO or device is refused rather than waited on (opening a FIFO blocks until someone writes to it,
/// and <c>/dev/zero</c> never ends).
/// </summary>
public static class InputFile
{
    /// <summary>
    /// Refuses <paramref name="path"/> when it is a folder, or a file with no data: a FIFO, a socket or a
    /// device reports a size of 0 (portably the one sign of them .NET gives), and so does an empty file,
    /// which no reader accepts either. A path that does not exist passes: its reader names it.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="expected">What the file should be, for the message ("an image file").</param>
    /// <exception cref="SsdInputException">A folder, not a regular file with data, or a loop of links.</exception>
    public static void CheckReadable(string path, string expected)
    {
        if (Directory.Exists(path)) throw new SsdInputException($"{path}: is a folder; expected {expected}");
        if (HoldsNoData(path)) throw new SsdInputException($"{path}: {NoData}; expected {expected}");
    }

    /// <summary>
    /// Why a file that exists could not be opened, for the messages of readers that record it as a problem of their data:
    /// a link to nothing or a loop of links (both pass <see cref="File.Exists"/>), or a file this user may not read.
    /// </summary>
    public static string CannotRead(Exception e) => e switch
    {
        UnauthorizedAccessException => "cannot read the file (permission denied)",
        FileNotFoundException or DirectoryNotFoundException => "cannot read the file (a link to a file that does not exist)",
        _ => $"cannot read the file ({e.Message})",
    };

    /// <summary>What <see cref="HoldsNoData"/> finds, for messages.</summary>
    public const string NoData = "empty, or not a regular file (a FIFO, socket or device)";

    /// <summary>
    /// Whether the file <paramref name="path"/> exists and reports a size of 0: empty, or a FIFO, socket or device, which
    /// must not be opened (see <see cref="CheckReadable"/>). For readers that record such a file as a problem of their data.
    /// </summary>
    public static bool HoldsNoData(string path)
    {
        if (!File.Exists(path)) return false;
        // FileInfo describes a link itself: the file checked is the one at the end of the links (/dev/zero behind a link too).
        var info = new FileInfo(CanonicalPath.Of(path));
        return info.Exists && info.Length == 0;
    }
}
