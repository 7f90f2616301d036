using SsdSharp.Data;
using SsdSharp.Inference;
using SsdSharp.Boxes;

namespace SsdSharp.Tests.Evaluation;

/// <summary>Builders for small hand-made evaluation cases: classes "a" (id 1) and "b" (id 2).</summary>
internal static class Scenes
{
    public static readonly string[] Classes = ["a", "b"];

    public static ObjectAnnotation Truth(float x1, float y1, float x2, float y2, int classId = 1, bool difficult = false, bool crowd = false, double? area = null) =>
        new(classId, Classes[classId - 1], x1, y1, x2, y2, difficult, crowd, area);

    public static Detection Det(float score, float x1, float y1, float x2, float y2, int classId = 1) =>
        new(classId, Classes[classId - 1], score, new PixelBox(x1, y1, x2, y2));

    public static ImageAnnotation Image(string id, params ObjectAnnotation[] objects) => new(id, id + ".jpg", 640, 480, objects);

    public static Dictionary<string, IReadOnlyList<Detection>> Dets(params (string Image, Detection[] Detections)[] images) =>
        images.ToDictionary(i => i.Image, i => (IReadOnlyList<Detection>)i.Detections);
}
