using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SsdSharp.IO;

/// <summary>
/// Whole-file outputs (model files, checkpoints, reports, pictures) are written to a temporary file
/// beside the target and renamed over it, so that a crash or a concurrent run never leaves a torn file
/// and an existing file is replaced only by a complete one. The temporary name carries the writer's
/// process id, so that <see cref="RemoveOrphans"/> can tell the leftovers of a killed writer.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, atomically; a device, FIFO or empty file there
    /// (<c>--output /dev/null</c>) is written into as it is, and a link to a file replaces the file, not the link.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        if (Destination(path).InPlace)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            write(stream);
            stream.Flush();
            return;
        }
        WriteThrough(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
            write(stream);
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// Where a write of <paramref name="path"/> goes: <c>InPlace</c> when it exists and holds no data where it leads (a
    /// device such as <c>/dev/null</c> or a terminal, a FIFO, a link to a pipe such as <c>/dev/stdout</c>, an empty file):
    /// renaming a new file over it would replace the device or FIFO itself (as root, <c>/dev/null</c>), so it is written
    /// into, and an empty file has nothing to lose. Otherwise <c>RenameOver</c> is the file a link leads to (so that the
    /// link stays), or <paramref name="path"/>.
    /// </summary>
    private static (bool InPlace, string RenameOver) Destination(string path)
    {
        if (!File.Exists(path)) return (false, path);
        var final = new FileInfo(path).LinkTarget is null ? new FileInfo(path) : File.ResolveLinkTarget(path, returnFinalTarget: true) as FileInfo;
        // A link that leads to no path (/proc/self/fd/1 → "pipe:[…]") leads to a pipe or socket.
        return final is null || !final.Exists || final.Length == 0 ? (true, path) : (false, final.FullName);
    }

    /// <summary>
    /// Writes <paramref name="path"/> atomically through <paramref name="write"/>, which creates the file at the
    /// temporary path it is given (beside <paramref name="path"/>): for files another program writes, such as FFmpeg's
    /// videos. The file is renamed over <paramref name="path"/> once <paramref name="write"/> returns, and deleted if it throws.
    /// A device, FIFO or empty file at <paramref name="path"/> is given to <paramref name="write"/> as it is (see <see cref="Write"/>).
    /// </summary>
    public static void WriteThrough(string path, Action<string> write)
    {
        var (inPlace, renameOver) = Destination(path);
        if (inPlace)
        {
            write(path);
            return;
        }
        path = renameOver;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = TemporaryPath(directory, Path.GetFileName(path));
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>
    /// Proves that files can be written in <paramref name="directory"/> by writing and deleting an empty temporary
    /// file, so that a command finds a read-only or forbidden output folder before its work rather than after. A
    /// folder still to be made is not made here (a command refused later must leave nothing behind): the probe goes
    /// into the nearest folder on its way that exists, where the writer will make it.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    /// <exception cref="IOException">The folder cannot be written (read-only file system…).</exception>
    public static void ProbeWritable(string directory)
    {
        var existing = Path.GetFullPath(directory);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        var temp = TemporaryPath(existing, "probe");
        using (new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
        }
        File.Delete(temp);
    }

    /// <summary>
    /// Deletes the temporary files that writers killed mid-write left in <paramref name="directory"/>: those
    /// whose process is gone. A live process's file is a write in progress and stays.
    /// </summary>
    /// <returns>The files deleted.</returns>
    public static IReadOnlyList<string> RemoveOrphans(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var match = TemporaryName().Match(Path.GetFileName(file));
            if (!match.Success || IsRunning(int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture))) continue;
            File.Delete(file);
            removed.Add(file);
        }
        return removed;
    }

    /// <summary>
    /// The longest file name, in UTF-8 bytes, that common file systems take (ext4, XFS, Btrfs, APFS; NTFS counts
    /// 255 UTF-16 units, never fewer): a longer output name is refused before the work (<see cref="OutputLocation.CheckCreatable"/>).
    /// </summary>
    public const int MaxFileNameBytes = 255;

    /// <summary>
    /// A new temporary path in <paramref name="directory"/> for the file <paramref name="name"/>, never a longer
    /// name than the file system takes: <paramref name="name"/> is cut as needed, as the GUID alone makes the
    /// name unique and the process id (which <see cref="RemoveOrphans"/> reads) stays whole.
    /// </summary>
    private static string TemporaryPath(string directory, string name)
    {
        var suffix = $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        int room = MaxFileNameBytes - 1 - suffix.Length;
        while (Encoding.UTF8.GetByteCount(name) > room) name = name[..^(char.IsLowSurrogate(name[^1]) ? 2 : 1)];
        return Path.Combine(directory, $".{name}{suffix}");
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The form of <see cref="TemporaryPath"/>'s names.</summary>
    [GeneratedRegex(@"^\..+\.(?<pid>[0-9]{1,9})\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
