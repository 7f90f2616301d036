using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SsdSharp.Evaluation;
using SsdSharp.IO;
using SsdSharp.Inference;

namespace SsdSharp.Bulk;

/// <summary>
/// The output of a bulk detection in JSON Lines: one object per image — the same as an element of the
/// <c>ssd detect</c> JSON array (<see cref="DetectionFileWriter.ToJsonObject(ImageDetections)"/>), or
/// <c>{"image": …, "error": …}</c> for an image that could not be read. Each line goes out in one write and
/// is flushed to the operating system as soon as its image is done, so that a crash or a kill loses only the
/// images in flight and leaves at most one incomplete line, the last, which <see cref="Resume"/> drops.
/// </summary>
/// <remarks>
/// A file is held with an exclusive lock (<c>flock</c>) while it is open, so that two runs of one shard cannot
/// interleave their lines; tools that do not lock (<c>tail</c>, <c>jq</c>, Python) read it meanwhile, .NET's
/// <see cref="FileStream"/> only after. It is flushed to disk when disposed; lines that a machine losing power
/// before had not yet stored are missing, so resuming does their images again.
/// </remarks>
public sealed class JsonLinesOutput : IDisposable
{
    /// <summary>How every line of an image starts, as written (<c>ToJsonString</c> puts no spaces).</summary>
    private static ReadOnlySpan<byte> ImageLineStart => "{\"image\""u8;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    private JsonLinesOutput(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
    }

    /// <summary>The images that have a line: read when resuming, and written since.</summary>
    public IReadOnlySet<string> Done => _done;

    /// <summary>The images of <see cref="Done"/> whose line is an error.</summary>
    public IReadOnlySet<string> Failed => _failed;

    /// <summary>Bytes of an incomplete last line that <see cref="Resume"/> dropped (0 when the file ended with a whole line).</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Starts a new output file (and its folder); an existing file is never touched.</summary>
    /// <exception cref="SsdInputException">The file exists.</exception>
    public static JsonLinesOutput Create(string path)
    {
        CreateFolderOf(path);
        try
        {
            return new JsonLinesOutput(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0), ownsStream: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new SsdInputException($"{path}: exists already; resume it, or write to another file");
        }
    }

    /// <summary>
    /// Continues an output file, or starts it when there is none: the images of its lines are <see cref="Done"/>,
    /// and an incomplete last line (a run killed while writing it) is dropped, so that its image is done again.
    /// A file that is not such an output is left as it is.
    /// </summary>
    /// <exception cref="SsdInputException">
    /// Another process is writing the file, it is a FIFO or socket, a whole line is not one of this format, or it ends in
    /// text without a line break that is no torn line of an image.
    /// </exception>
    public static JsonLinesOutput Resume(string path)
    {
        CreateFolderOf(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new SsdInputException($"{path}: cannot open it to continue ({e.Message}); is another run writing it?");
        }
        if (!stream.CanSeek)
        {
            // A FIFO opens for reading and writing at once, and reading its earlier lines would then wait for ever.
            stream.Dispose();
            throw new SsdInputException($"{path}: {InputFile.NoData}; --resume continues an output file of an earlier run");
        }
        var output = new JsonLinesOutput(stream, ownsStream: true);
        try
        {
            output.ReadExisting(path);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Writes lines to <paramref name="stream"/> (standard output, say), which stays open.</summary>
    public static JsonLinesOutput To(Stream stream) => new(stream, ownsStream: false);

    /// <summary>Appends the line of an image's detections, named as <see cref="ImageDetections.Image"/> says.</summary>
    public void Write(ImageDetections result) => Append(result.Image, DetectionFileWriter.ToJsonObject(result), failed: false);

    /// <summary>Appends the line of an image that could not be read.</summary>
    /// <param name="image">The image's name.</param>
    /// <param name="error">Why it could not be read.</param>
    public void WriteError(string image, string error) =>
        Append(image, new JsonObject { ["image"] = image, ["error"] = error }, failed: true);

    /// <summary>
    /// Appends a line of another form (a video frame's, docs/video.md), flushed as the others are; it names no image,
    /// so <see cref="Resume"/> cannot take a file of such lines.
    /// </summary>
    public void Write(JsonObject line)
    {
        // One write per line (the stream is unbuffered), so that a kill cuts at most this line.
        _stream.Write(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"));
        _stream.Flush();
    }

    private void Append(string image, JsonObject line, bool failed)
    {
        Write(line);
        _done.Add(image);
        if (failed) _failed.Add(image);
    }

    private void ReadExisting(string path)
    {
        var line = new ArrayBufferWriter<byte>();
        var buffer = new byte[1 << 20];
        long position = 0, lineStart = 0;
        int number = 0, read;
        while ((read = _stream.Read(buffer)) > 0)
        {
            var rest = buffer.AsSpan(0, read);
            position += read;
            for (int end; (end = rest.IndexOf((byte)'\n')) >= 0; rest = rest[(end + 1)..])
            {
                line.Write(rest[..end]);
                lineStart = position - rest.Length + end + 1;
                Record(line.WrittenSpan, path, ++number);
                line.ResetWrittenCount();
            }
            line.Write(rest);
        }
        if (position > lineStart)
        {
            // Only what a killed writer leaves, the start of an image's line, may go: anything else is someone's text.
            var rest = line.WrittenSpan;
            if (!rest.StartsWith(ImageLineStart) && !ImageLineStart.StartsWith(rest))
                throw new SsdInputException($"{path}: not a JSON Lines output of ssd detect (it ends in {position - lineStart} bytes without a line break that are no line of detections); it is left as it is: choose another --output");
            DroppedBytes = position - lineStart;
            _stream.SetLength(lineStart);
        }
        _stream.Seek(0, SeekOrigin.End);
    }

    /// <summary>Notes the image of a whole line: its first member is <c>"image"</c>, and an error line's second is <c>"error"</c>.</summary>
    private void Record(ReadOnlySpan<byte> line, string path, int number)
    {
        // A byte order mark, which an editor may have put before the first line, is no part of the JSON.
        if (number == 1 && line.StartsWith(Encoding.UTF8.Preamble)) line = line[Encoding.UTF8.Preamble.Length..];
        try
        {
            var reader = new Utf8JsonReader(line);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("image"u8)
                && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                var image = reader.GetString()!;
                _done.Add(image);
                if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("error"u8)) _failed.Add(image);
                return;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Named below: the line is not one of ours.
        }
        throw new SsdInputException($"{path} line {number}: not a line of detections (an object whose first member is \"image\"); correct or remove the line");
    }

    private static void CreateFolderOf(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null) Directory.CreateDirectory(folder);
    }

    /// <summary>Flushes the lines to disk (a file) or to the stream, and closes a file.</summary>
    public void Dispose()
    {
        if (!_ownsStream)
        {
            _stream.Flush();
            return;
        }
        if (_stream is FileStream file) file.Flush(flushToDisk: true);
        _stream.Dispose();
    }
}
