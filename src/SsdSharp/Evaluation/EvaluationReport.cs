using System.Text;
using System.Text.Json;

namespace SsdSharp.Evaluation;

/// <summary>The metrics computed for one detection set: VOC, COCO or both.</summary>
/// <param name="Voc">The VOC evaluation, when computed.</param>
/// <param name="Coco">The COCO evaluation, when computed.</param>
public sealed record EvaluationReport(VocResult? Voc, CocoResult? Coco)
{
    /// <summary>
    /// The report as JSON, with the keys of the metrics computed:
    /// <c>{"voc07_mAP", "voc_area_mAP", "per_class": {NAME: {"voc07", "area", "num_missed", "coco_AP", "coco_AP50", "num_gt", "num_det"}},
    /// "coco": {"AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"}}</c>.
    /// A class without ground truth has null APs. <c>num_gt</c> and <c>num_det</c> are the VOC counts when
    /// VOC was computed (difficult objects excluded, all detections), else the COCO ones (crowd excluded,
    /// at most 100 detections per image and class). <c>num_missed</c> (with VOC) counts the objects no detection found.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (Voc is not null)
            {
                WriteNumber(json, "voc07_mAP", Voc.Map07);
                WriteNumber(json, "voc_area_mAP", Voc.MapArea);
            }
            json.WriteStartObject("per_class");
            var classCount = Voc?.Classes.Count ?? Coco?.Classes.Count ?? 0;
            for (var k = 0; k < classCount; k++)
            {
                var voc = Voc?.Classes[k];
                var coco = Coco?.Classes[k];
                json.WriteStartObject(voc?.Name ?? coco!.Name);
                if (voc is not null)
                {
                    WriteNumber(json, "voc07", voc.Ap07);
                    WriteNumber(json, "area", voc.ApArea);
                    json.WriteNumber("num_missed", voc.NumMissed);
                }
                if (coco is not null)
                {
                    WriteNumber(json, "coco_AP", coco.AP);
                    WriteNumber(json, "coco_AP50", coco.AP50);
                }
                json.WriteNumber("num_gt", voc?.NumGt ?? coco!.NumGt);
                json.WriteNumber("num_det", voc?.NumDet ?? coco!.NumDet);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (Coco is not null)
            {
                json.WriteStartObject("coco");
                for (var i = 0; i < CocoMetrics.Names.Count; i++) json.WriteNumber(CocoMetrics.Names[i], Coco.Metrics.Values[i]);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }
}
