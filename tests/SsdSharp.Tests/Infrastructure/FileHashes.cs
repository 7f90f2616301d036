using System.Security.Cryptography;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>The SHA-256 of every file under some paths, taken before a command, to prove afterwards that it changed none.</summary>
internal sealed class FileHashes
{
    private readonly Dictionary<string, string> _hashes;

    private FileHashes(Dictionary<string, string> hashes) => _hashes = hashes;

    /// <summary>Hashes the files given and the files under the folders given (links are not followed).</summary>
    public static FileHashes Of(params string[] paths)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                : [path];
            foreach (var file in files) hashes[file] = Hash(file);
        }
        Assert.NotEmpty(hashes);
        return new FileHashes(hashes);
    }

    /// <summary>Asserts that every file hashed still exists with the same content.</summary>
    public void AssertUnchanged()
    {
        foreach (var (file, hash) in _hashes)
        {
            Assert.True(File.Exists(file), $"{file} is gone");
            Assert.True(Hash(file) == hash, $"{file} changed");
        }
    }

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
