namespace SsdSharp.IO;

/// <summary>
/// What a command reads and where it writes, checked together before the work starts, so that a bad
/// output path fails in a second rather than after an hour of detection: an output never replaces an
/// input nor lands in a folder of inputs (paths are compared with links resolved), two outputs never
/// share a path, and every output can be written. Inputs and outputs may be registered in any order: an
/// input learnt late (the images a dataset's annotations name) is checked against the outputs claimed so far.
/// </summary>
public sealed class OutputPlan
{
    // Canonical path → the path as given (inputs, input folders) or the claim (outputs).
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _inputFolders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string What, string Path)> _outputs = new(StringComparer.Ordinal);

    /// <summary>Registers files the command reads; nulls and names that are no file (a preset's name) are skipped.</summary>
    /// <exception cref="SsdInputException">A file is an output claimed already.</exception>
    public OutputPlan Reads(IEnumerable<string?> paths)
    {
        foreach (var path in paths)
        {
            // A loop of links is no file an output could replace (its reader reports it).
            if (path == null || !System.IO.File.Exists(path) || CanonicalPath.TryOf(path) is not { } canonical) continue;
            if (_outputs.TryGetValue(canonical, out var output)) throw IsInput(output, path);
            _inputs.TryAdd(canonical, path);
        }
        return this;
    }

    /// <summary>Registers files the command reads (see <see cref="Reads(IEnumerable{string?})"/>).</summary>
    public OutputPlan Reads(params string?[] paths) => Reads((IEnumerable<string?>)paths);

    /// <summary>
    /// Registers folders whose every file, present or to come, is an input (a VOC root's <c>Annotations/</c>): nothing
    /// is written inside them, nor into them. Folders that do not exist are registered too; their readers name them.
    /// </summary>
    /// <exception cref="SsdInputException">An output claimed already lies inside one of them.</exception>
    public OutputPlan ReadsAllIn(IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            var canonical = CanonicalPath.Of(folder);
            foreach (var (output, claim) in _outputs)
            {
                if (IsWithin(output, canonical)) throw InInputFolder(claim, folder);
            }
            _inputFolders.TryAdd(canonical, folder);
        }
        return this;
    }

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
        // Claimed first: a folder inside a folder of inputs must not even be made (nor get a marker).
        if (!string.IsNullOrWhiteSpace(path)) Claim(what, path);
        return OutputFolder.Prepare(what, path, force);
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
        if (_inputs.TryGetValue(canonical, out var input)) throw IsInput((what, path), input);
        foreach (var (folder, given) in _inputFolders)
        {
            if (IsWithin(canonical, folder)) throw InInputFolder((what, path), given);
        }
        if (!_outputs.TryAdd(canonical, (what, path)))
            throw new SsdInputException($"{what} {path}: is also the output of {_outputs[canonical].What}; give each output its own path");
    }

    /// <summary>Whether canonical <paramref name="path"/> is canonical <paramref name="folder"/> or lies inside it.</summary>
    private static bool IsWithin(string path, string folder) =>
        path == folder || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static SsdInputException IsInput((string What, string Path) output, string input) =>
        new($"{output.What} {output.Path}: is an input of this command ({input}); an output never replaces an input");

    private static SsdInputException InInputFolder((string What, string Path) output, string folder) =>
        new($"{output.What} {output.Path}: lies in {folder}, a folder of this command's inputs; an output is never written among them");
}
