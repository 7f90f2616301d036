using System.Security.Cryptography;
using System.Text;
using SsdSharp.IO;

namespace SsdSharp.Onnx;

/// <summary>
/// Models exported on the fly, kept in <c>onnx/</c> under a cache folder so that the next load of the
/// same weights skips the export: one file per model hash and SsdSharp build (a new version, or a local build
/// of changed code under the same version, exports again and replaces the older file). Storing is best effort:
/// a read-only cache only costs time.
/// </summary>
internal sealed class OnnxExportCache(string cacheDirectory)
{
    // The version alone is not enough: a build from uncommitted changes carries the version of its commit. The module
    // id of this (deterministic) assembly changes with its code, so an exporter that changed never reuses an old export.
    private static readonly string VersionKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        LibraryVersion.Full + "/" + typeof(OnnxExportCache).Assembly.ManifestModule.ModuleVersionId)))[..12];

    /// <summary>The folder of the exported models.</summary>
    public string Folder { get; } = Path.Combine(cacheDirectory, "onnx");

    /// <summary>The cached export of the weights with hash <paramref name="modelHash"/>, or null.</summary>
    public string? Find(string modelHash)
    {
        var path = PathOf(modelHash);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Keeps <paramref name="model"/> as the export of <paramref name="modelHash"/>, removing exports of other versions; false when the folder cannot be written.</summary>
    public bool Store(string modelHash, byte[] model)
    {
        var path = PathOf(modelHash);
        try
        {
            AtomicFile.Write(path, stream => stream.Write(model));
            foreach (var older in Directory.EnumerateFiles(Folder, $"{Prefix(modelHash)}-*.onnx").Where(p => p != path))
                File.Delete(older);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string PathOf(string modelHash) => Path.Combine(Folder, $"{Prefix(modelHash)}-{VersionKey}.onnx");

    private static string Prefix(string modelHash) => modelHash[..Math.Min(32, modelHash.Length)];
}
