using SsdSharp.Boxes;
using SsdSharp.Data;
using SsdSharp.Inference;

namespace SsdSharp.Tests.Inference;

/// <summary>Confident detections: the objects they find (same label, IoU ≥ 0.5), and how many of them are on an object.</summary>
internal sealed class DetectionTally(float confident)
{
    public int Objects { get; private set; }
    private int _onObjects, _onNone;

    public double Precision => (double)_onObjects / Math.Max(1, _onObjects + _onNone);

    public void Add(ImageDetections result, ImageAnnotation truth)
    {
        var boxes = truth.Objects.Select(o => (o.Label, Box: new PixelBox(o.X1, o.Y1, o.X2 + 1, o.Y2 + 1))).ToArray();
        var found = new HashSet<int>();
        foreach (var d in result.Detections.Where(d => d.Score >= confident))
        {
            int hit = Array.FindIndex(boxes, o => o.Label == d.Label && PixelBox.Iou(d.Box, o.Box) >= 0.5);
            if (hit < 0)
            {
                _onNone++;
                continue;
            }
            _onObjects++;
            found.Add(hit);
        }
        Objects += found.Count;
    }

    public override string ToString() => $"{Objects} objects, {_onObjects} confident boxes on objects and {_onNone} on none (precision {Precision:F2})";
}
