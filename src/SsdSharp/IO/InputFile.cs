namespace SsdSharp.IO;

/// <summary>
/// Checks a path that is to be read as a file before anything opens it: a folder is named as such, and a
/// FIFO or device is refused rather than waited on (opening a FIFO blocks until someone writes to it,
/// and <c>/dev/zero</c> never ends).
/// </summary>
public static class InputFile
{
    /// <summary>
    /// Refuses <paramref name="path"/> when it is a folder, a link that leads nowhere (to a file that does not
    /// exist, or round in a loop), or a file with no data: a FIFO, a socket or a device reports a size of 0
    /// (portably the one sign of them .NET gives), and so does an empty file, which no reader accepts either.
    /// A path that does not exist passes: its reader names it.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="expected">What the file should be, for the message ("an image file").</param>
    /// <exception cref="SsdInputException">A folder, a link leading nowhere, or not a regular file with data.</exception>
    public static void CheckReadable(string path, string expected)
    {
        if (Directory.Exists(path)) throw new SsdInputException($"{path}: is a folder; expected {expected}");
        if (LinkProblem(path) is { } problem) throw new SsdInputException($"{path}: {problem}; expected {expected}");
        if (HoldsNoData(path)) throw new SsdInputException($"{path}: {NoData}; expected {expected}");
    }

    /// <summary>
    /// Why the links on <paramref name="path"/> lead to no file: "a loop of symbolic links", or "a link to a file that
    /// does not exist"; null when they lead to something, or the path itself does not exist. Both kinds pass
    /// <see cref="File.Exists"/> (which looks at the link itself) and fail only when opened.
    /// </summary>
    public static string? LinkProblem(string path)
    {
        if (!File.Exists(path)) return null;
        if (CanonicalPath.TryOf(path) is not { } target) return "a loop of symbolic links";
        return File.Exists(target) || Directory.Exists(target) ? null : "a link to a file that does not exist";
    }

    /// <summary>
    /// Why a file that exists could not be opened (<paramref name="e"/> from opening <paramref name="path"/>), for the
    /// messages of readers that record it as a problem of their data: a link leading nowhere (<see cref="LinkProblem"/>),
    /// or a file this user may not read.
    /// </summary>
    public static string CannotRead(string path, Exception e) => (LinkProblem(path), e) switch
    {
        ({ } problem, _) => $"cannot read the file ({problem})",
        (_, UnauthorizedAccessException) => "cannot read the file (permission denied)",
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
        // FileInfo describes a link itself: the file checked is the one at the end of the links (/dev/zero behind a link
        // too); a link that leads nowhere has none, and is its reader's to name.
        return File.Exists(path) && CanonicalPath.TryOf(path) is { } target && ReportsNoData(target);
    }

    /// <summary>
    /// <see cref="HoldsNoData"/> for a path whose links are resolved already (<see cref="CanonicalPath"/>): a caller that
    /// needs the canonical path anyway (a walk of a million images) resolves it once.
    /// </summary>
    public static bool ReportsNoData(string canonicalPath)
    {
        var info = new FileInfo(canonicalPath);
        return info.Exists && info.Length == 0;
    }
}
