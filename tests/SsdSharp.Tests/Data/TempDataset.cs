using SkiaSharp;

namespace SsdSharp.Tests.Data;

/// <summary>A throw-away dataset folder for malformed-input tests; deleted on dispose.</summary>
internal sealed class TempDataset : IDisposable
{
    public TempDataset()
    {
        Root = Path.Combine(Path.GetTempPath(), "ssd-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "Annotations"));
        Directory.CreateDirectory(Path.Combine(Root, "JPEGImages"));
        Directory.CreateDirectory(Path.Combine(Root, "ImageSets", "Main"));
    }

    public string Root { get; }

    public string Xml(string id) => Path.Combine(Root, "Annotations", id + ".xml");

    public string Jpeg(string id) => Path.Combine(Root, "JPEGImages", id + ".jpg");

    /// <summary>Writes a grey JPEG of the given size.</summary>
    public void WriteImage(string id, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Gray);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        File.WriteAllBytes(Jpeg(id), data.ToArray());
    }

    /// <summary>Writes a VOC xml; each object is (name, xmin, ymin, xmax, ymax) in the xml's 1-based values.</summary>
    public void WriteVoc(string id, int width, int height, params (string Name, string Xmin, string Ymin, string Xmax, string Ymax)[] objects)
    {
        var body = string.Concat(objects.Select(o =>
            $"<object><name>{o.Name}</name><difficult>0</difficult><bndbox><xmin>{o.Xmin}</xmin><ymin>{o.Ymin}</ymin><xmax>{o.Xmax}</xmax><ymax>{o.Ymax}</ymax></bndbox></object>"));
        File.WriteAllText(Xml(id), $"<annotation><filename>{id}.jpg</filename><size><width>{width}</width><height>{height}</height><depth>3</depth></size>{body}</annotation>");
    }

    public void WriteSplit(string split, params string[] ids) =>
        File.WriteAllLines(Path.Combine(Root, "ImageSets", "Main", split + ".txt"), ids);

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
