namespace SsdSharp.Tests.Infrastructure;

/// <summary>A throw-away folder for a test, deleted on dispose; readable by every user (permission tests run the CLI as another user).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Directory.CreateTempSubdirectory("ssd-test-").FullName;
        // CreateTempSubdirectory makes the folder private (0700).
        SetMode(Root, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Sets the permission bits of <paramref name="path"/> (these tests run on Unix).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("permission bits are Unix's");
        File.SetUnixFileMode(path, mode);
    }

    public string Root { get; }

    /// <summary>The path of <paramref name="parts"/> under the root (nothing is created).</summary>
    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Creates the folder <paramref name="parts"/> under the root and returns its path.</summary>
    public string Folder(params string[] parts) => Directory.CreateDirectory(Path(parts)).FullName;

    /// <summary>Copies <paramref name="source"/> to <paramref name="parts"/> under the root (folders created) and returns the path.</summary>
    public string Copy(string source, params string[] parts)
    {
        var target = Path(parts);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Copy(source, target);
        return target;
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="parts"/> under the root (folders created) and returns the path.</summary>
    public string Write(string text, params string[] parts)
    {
        var target = Path(parts);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
        return target;
    }

    public void Dispose()
    {
        try
        {
            // Give back what permission tests took away, so that the folder can be deleted.
            foreach (var entry in Directory.EnumerateFileSystemEntries(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                if (!File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) SetMode(entry, (UnixFileMode)0b111_111_111);
            }
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
