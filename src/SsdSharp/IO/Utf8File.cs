using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace SsdSharp.IO;

/// <summary>
/// Reads the project's text inputs (JSON, split lists) strictly as UTF-8: a damaged byte or escape is
/// an input error naming the file and the byte offset, rather than a silent U+FFFD that changes a class
/// name or an exception from deep inside a JSON reader.
/// </summary>
public static class Utf8File
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The bytes of a UTF-8 text file without its byte order mark, checked to be valid UTF-8.</summary>
    /// <exception cref="SsdInputException">The file holds a byte sequence that is not UTF-8.</exception>
    public static ReadOnlyMemory<byte> ReadBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = bytes.AsMemory(bytes.AsSpan().StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0);
        Validate(text.Span, path);
        return text;
    }

    /// <summary>The bytes of a UTF-8 JSON file without its byte order mark, checked to be valid UTF-8 with valid string escapes (<see cref="ValidateJsonStrings"/>).</summary>
    /// <exception cref="SsdInputException">The file holds a byte sequence that is not UTF-8, or a string that does not unescape.</exception>
    public static ReadOnlyMemory<byte> ReadJson(string path)
    {
        var json = ReadBytes(path);
        ValidateJsonStrings(json.Span, path);
        return json;
    }

    /// <summary>The text of a UTF-8 file, checked to be valid UTF-8.</summary>
    /// <exception cref="SsdInputException">The file holds a byte sequence that is not UTF-8.</exception>
    public static string ReadText(string path) => Encoding.UTF8.GetString(ReadBytes(path).Span);

    /// <summary>
    /// Throws unless every string of a JSON text unescapes. <see cref="JsonDocument"/> unescapes a string only
    /// when it is read, so a lone surrogate (<c>"\ud800"</c>) would surface later as an
    /// <see cref="InvalidOperationException"/> from wherever the string is used.
    /// </summary>
    /// <exception cref="SsdInputException">Naming the byte offset of the string.</exception>
    public static void ValidateJsonStrings(ReadOnlySpan<byte> json, string name)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw new SsdInputException($"{name}: the string at byte {reader.TokenStartIndex} has an invalid \\u escape (a lone UTF-16 surrogate)");
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the parse that follows reports it in its reader's own words.
        }
    }

    /// <summary>Throws unless <paramref name="bytes"/> are valid UTF-8; <paramref name="name"/> names them in the message.</summary>
    /// <exception cref="SsdInputException">Naming the offset of the first invalid byte.</exception>
    public static void Validate(ReadOnlySpan<byte> bytes, string name)
    {
        if (Utf8.IsValid(bytes)) return;
        string where = "";
        try
        {
            Strict.GetCharCount(bytes);
        }
        catch (DecoderFallbackException e)
        {
            where = $" at byte {e.Index}";
        }
        throw new SsdInputException($"{name}: not valid UTF-8 text{where}; expected a UTF-8 file");
    }
}
