namespace SsdSharp.IO;

/// <summary>
/// What a command reads and where it writes, checked together before the work starts, so that a bad
/// output path fails in a second rather than after an hour of detection: an output never replaces an
/// input (paths are compared with links resolved), two outputs never share a path, and every output can
/// be written.
/// </summary>
public sealed class OutputPlan
{
    // Canonical path → the path as given (inputs) or what claimed it (outputs).
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _outputs = new(StringComparer.Ordinal);

    /// <summary>Registers files the command reads; nulls and names that are no file (a preset's name) are skipped.</summary>
    public OutputPlan Reads(IEnumerable<string?> paths)
    {
        foreach (var path in paths)
        {
            if (path != null && System.IO.File.Exists(path)) _inputs.TryAdd(CanonicalPath.Of(path), path);
        }
        return this;
    }

    /// <summary>Registers files the command reads (see <see cref="Reads(IEnumerable{string?})"/>).</summary>
    public OutputPlan Reads(params string?[] paths) => Reads((IEnumerable<string?>)paths);

    /// <summary>Checks and claims a whole-file output: not empty, not a folder, not an input, not claimed twice, writable.</summary>
    /// <param name="what">The option that names it ("--output"), for messages.</param>
    /// <param name="path">The file.</param>
    /// <returns><paramref name="path"/>.</returns>
    /// <exception cref="SsdInputException">The path cannot or must not be written.</exception>
    public string File(string what, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SsdInputException($"{what}: empty path; expected a file name");
        if (Directory.Exists(path)) throw new SsdInputException($"{what} {path}: is a folder; expected a file path");
        OutputLocation.CheckCreatable(what, path);
        Claim(what, path);
        OutputLocation.Writing(what, path, () => AtomicFile.ProbeWritable(Path.GetDirectoryName(Path.GetFullPath(path))!));
        return path;
    }

    /// <summary>Checks and prepares an output folder (see <see cref="OutputFolder.Prepare"/>).</summary>
    /// <exception cref="SsdInputException">The folder cannot or must not be written.</exception>
    public OutputFolder Folder(string what, string path, bool force)
    {
        var folder = OutputFolder.Prepare(what, path, force);
        Claim(what, path);
        return folder;
    }

    /// <summary>Claims a file inside <paramref name="folder"/>: confined to it, not an input, not claimed twice.</summary>
    /// <param name="what">What writes it ("--draw"), for messages.</param>
    /// <param name="folder">A folder from <see cref="Folder"/>.</param>
    /// <param name="relative">The file's path inside the folder.</param>
    /// <returns>The file's path.</returns>
    /// <exception cref="SsdInputException">The file leads outside the folder, is an input, or is claimed already.</exception>
    public string FileIn(string what, OutputFolder folder, string relative)
    {
        var path = folder.Combine(relative);
        Claim(what, path);
        return path;
    }

    /// <summary>
    /// Claims one file inside <paramref name="folder"/> per input of <paramref name="inputs"/> (a drawing of each
    /// image), named by <see cref="DerivedFileNames"/>: the inputs' relative paths with <paramref name="extension"/>.
    /// </summary>
    /// <returns>The output path of each input, in order.</returns>
    /// <exception cref="SsdInputException">An output would be an input.</exception>
    public IReadOnlyList<string> DerivedFilesIn(string what, OutputFolder folder, IReadOnlyList<string> inputs, string extension) =>
        DerivedFileNames.For(inputs, extension).Select(name => FileIn(what, folder, name)).ToArray();

    private void Claim(string what, string path)
    {
        var canonical = CanonicalPath.Of(path);
        if (_inputs.TryGetValue(canonical, out var input))
            throw new SsdInputException($"{what} {path}: is an input of this command ({input}); an output never replaces an input");
        if (!_outputs.TryAdd(canonical, what))
            throw new SsdInputException($"{what} {path}: is also the output of {_outputs[canonical]}; give each output its own path");
    }
}
