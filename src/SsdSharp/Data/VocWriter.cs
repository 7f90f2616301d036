using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using SsdSharp.IO;

namespace SsdSharp.Data;

/// <summary>
/// Writes ground truth in PASCAL VOC form (SPEC §7), the inverse of <see cref="VocReader"/>: a box
/// (x1, y1, x2, y2) becomes <c>xmin = x1 + 1</c> … <c>ymax = y2 + 1</c>, so that reading it back gives the same box.
/// </summary>
public static class VocWriter
{
    /// <summary>Writes <c>Annotations/{image.Id}.xml</c> under <paramref name="root"/> (atomically, as every writer here).</summary>
    public static void WriteAnnotation(string root, ImageAnnotation image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var folder = Path.Combine(root, "Annotations");
        var xml = new XElement("annotation",
            new XElement("folder", Path.GetFileName(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar))),
            new XElement("filename", Path.GetFileName(image.ImagePath)),
            new XElement("size", new XElement("width", image.Width), new XElement("height", image.Height), new XElement("depth", 3)),
            new XElement("segmented", 0),
            image.Objects.Select(o => new XElement("object",
                new XElement("name", o.Label),
                new XElement("pose", "Unspecified"),
                new XElement("truncated", 0),
                new XElement("difficult", o.Difficult ? 1 : 0),
                new XElement("bndbox",
                    new XElement("xmin", Number(o.X1 + 1)), new XElement("ymin", Number(o.Y1 + 1)),
                    new XElement("xmax", Number(o.X2 + 1)), new XElement("ymax", Number(o.Y2 + 1))))));
        AtomicFile.Write(Path.Combine(folder, image.Id + ".xml"), stream =>
        {
            // As VOC's own files: UTF-8 without byte-order mark or declaration.
            using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, Indent = true });
            xml.Save(writer);
        });
    }

    /// <summary>Writes <c>ImageSets/Main/{split}.txt</c> under <paramref name="root"/>: one image id a line.</summary>
    public static void WriteSplit(string root, string split, IEnumerable<string> ids)
    {
        AtomicFile.WriteAllText(Path.Combine(root, "ImageSets", "Main", split + ".txt"), string.Concat(ids.Select(id => id + Environment.NewLine)));
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
