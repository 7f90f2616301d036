using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace SsdSharp.Serving;

/// <summary>An image sent to the service: its name in the results and its encoded bytes.</summary>
/// <param name="Name">The multipart file name, or <see cref="RawBodyName"/> for a raw body.</param>
/// <param name="Data">The encoded image (JPEG, PNG…), not yet checked.</param>
public sealed record ImageUpload(string Name, byte[] Data)
{
    /// <summary>The name of an image sent as the raw request body.</summary>
    public const string RawBodyName = "upload";

    /// <summary>The form field of the file in <c>POST /v1/detect</c>; <c>POST /v1/detect/batch</c> takes every file.</summary>
    public const string FormField = "image";

    /// <summary>Raw-body content types: any <c>image/*</c>, or <c>application/octet-stream</c>.</summary>
    public static bool IsRawImageType(MediaTypeHeaderValue type) =>
        type.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ||
        type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The images of a request: a raw body (when <paramref name="many"/> is false) or the files of a
    /// <c>multipart/form-data</c> body, at most <paramref name="maxBytes"/> in all.
    /// </summary>
    /// <exception cref="HttpProblemException">413 above the limit, 415 for another content type, 400 for a malformed form.</exception>
    public static async Task<IReadOnlyList<ImageUpload>> ReadAsync(HttpRequest request, bool many, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw LengthLimitedStream.TooLarge(maxBytes);
        var accepted = many ? "multipart/form-data" : "image/* or application/octet-stream (the image as the body), or multipart/form-data (a file field 'image')";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            throw new HttpProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported content type",
                $"{(request.ContentType is null ? "no Content-Type" : $"Content-Type '{request.ContentType}'")}: expected {accepted}");
        var body = new LengthLimitedStream(request.Body, maxBytes);
        if (type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var files = await ReadFormFilesAsync(body, type, maxBytes, cancellationToken).ConfigureAwait(false);
            if (files.Count == 0) throw BadForm(many ? "no file in the form; send the images as file fields" : $"no file in the form; send the image as the file field '{FormField}'");
            if (!many && (files.Count != 1 || files[0].Field != FormField)) throw BadForm($"expected exactly one file, in the field '{FormField}' (POST /v1/detect/batch takes several)");
            return files.Select(f => f.Upload).ToArray();
        }
        if (many || !IsRawImageType(type))
            throw new HttpProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported content type",
                $"Content-Type '{type.MediaType}': expected {accepted}");
        return [new ImageUpload(RawBodyName, await ReadAllAsync(body, cancellationToken).ConfigureAwait(false))];
    }

    private static async Task<List<(string Field, ImageUpload Upload)>> ReadFormFilesAsync(Stream body, MediaTypeHeaderValue type, long maxBytes, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw BadForm("multipart/form-data without a boundary");
        // The body is bounded by LengthLimitedStream (413); the reader's own limit would answer 400.
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = null };
        var files = new List<(string, ImageUpload)>();
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw BadForm("a form part without 'Content-Disposition: form-data'");
                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (!disposition.IsFileDisposition())
                    throw BadForm($"form field '{field}' is not a file; detection options go in the query string (?conf=0.5&nms=0.45&top_k=200&max_detections=200)");
                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                files.Add((field, new ImageUpload(string.IsNullOrWhiteSpace(name) ? field : name, await ReadAllAsync(section.Body, cancellationToken).ConfigureAwait(false))));
            }
        }
        catch (InvalidDataException e)
        {
            throw BadForm($"malformed multipart body: {e.Message}");
        }
        return files;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static HttpProblemException BadForm(string detail) => new(StatusCodes.Status400BadRequest, "invalid form", detail);
}
