namespace SsdSharp.Data;

/// <summary>The on-disk layout of a detection dataset.</summary>
public enum DatasetFormat
{
    /// <summary>PASCAL VOC: <c>Annotations/*.xml</c>, <c>JPEGImages/</c>, <c>ImageSets/Main/{split}.txt</c>.</summary>
    Voc,

    /// <summary>COCO: one <c>instances_*.json</c> file and a folder of images.</summary>
    Coco,
}
