namespace SsdSharp.Evaluation;

/// <summary>Which protocols score a detection set (SPEC §8).</summary>
public enum EvaluationMetric
{
    /// <summary>PASCAL VOC: 11-point (VOC2007) and area (VOC2010+) AP at IoU 0.5.</summary>
    Voc,

    /// <summary>COCO: AP over IoU 0.50:0.95 and the eleven other numbers.</summary>
    Coco,

    /// <summary>Both.</summary>
    Both,
}
