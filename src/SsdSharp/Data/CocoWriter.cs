using System.Text.Json;
using SsdSharp.IO;

namespace SsdSharp.Data;

/// <summary>
/// Writes ground truth as a COCO instances file (SPEC §7), the inverse of <see cref="CocoReader"/>:
/// <c>bbox = [x1, y1, x2 − x1, y2 − y1]</c>. COCO has no <c>difficult</c> flag; a difficult object is written
/// with <c>iscrowd = 1</c>, which COCO evaluation ignores likewise.
/// </summary>
public static class CocoWriter
{
    /// <summary>Writes the file (atomically).</summary>
    /// <param name="path">The json file; <c>file_name</c> is each image path relative to its folder.</param>
    /// <param name="classNames">Class names; class id i + 1 is written as category id i + 1.</param>
    /// <param name="images">The images, with ids <see cref="ImageAnnotation.CocoId"/> or else their position + 1.</param>
    public static void Write(string path, IReadOnlyList<string> classNames, IReadOnlyList<ImageAnnotation> images) =>
        AtomicFile.Write(path, stream => Write(stream, Path.GetDirectoryName(Path.GetFullPath(path))!, classNames, images));

    private static void Write(Stream stream, string folder, IReadOnlyList<string> classNames, IReadOnlyList<ImageAnnotation> images)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteStartArray("images");
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            json.WriteStartObject();
            json.WriteNumber("id", image.CocoId ?? i + 1);
            json.WriteString("file_name", Path.GetRelativePath(folder, Path.GetFullPath(image.ImagePath)).Replace('\\', '/'));
            json.WriteNumber("width", image.Width);
            json.WriteNumber("height", image.Height);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("annotations");
        long annotationId = 1;
        for (int i = 0; i < images.Count; i++)
        {
            foreach (var o in images[i].Objects)
            {
                json.WriteStartObject();
                json.WriteNumber("id", annotationId++);
                json.WriteNumber("image_id", images[i].CocoId ?? i + 1);
                json.WriteNumber("category_id", o.ClassId);
                json.WriteStartArray("bbox");
                json.WriteNumberValue(o.X1);
                json.WriteNumberValue(o.Y1);
                json.WriteNumberValue(o.Width);
                json.WriteNumberValue(o.Height);
                json.WriteEndArray();
                json.WriteNumber("area", o.Area ?? (double)o.Width * o.Height);
                json.WriteNumber("iscrowd", o.DifficultOrCrowd ? 1 : 0);
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteStartArray("categories");
        for (int c = 0; c < classNames.Count; c++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", c + 1);
            json.WriteString("name", classNames[c]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
