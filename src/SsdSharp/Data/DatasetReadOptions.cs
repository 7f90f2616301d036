namespace SsdSharp.Data;

/// <summary>How a dataset is read: which classes, which split, which objects are kept and how problems are handled.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>
    /// The class names; class id i + 1 is <c>ClassNames[i]</c> (normally <see cref="Configuration.SsdConfig.ClassNames"/>).
    /// Names are matched exactly (case and spaces count); a name in the data that is not listed is an error
    /// that lists the known names. Null discovers the classes from the data: COCO categories in ascending id
    /// order, VOC names in ordinal order.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>VOC split: the image list <c>ImageSets/Main/{Split}.txt</c> of every root. COCO files are one split each and ignore it.</summary>
    public string Split { get; init; } = "trainval";

    /// <summary>Keep VOC <c>difficult</c> objects (evaluation and a training that ignore them) instead of dropping them (training).</summary>
    public bool KeepDifficult { get; init; }

    /// <summary>Keep COCO <c>iscrowd</c> objects (evaluation and a training that ignore them) instead of dropping them (training).</summary>
    public bool KeepCrowd { get; init; }

    /// <summary>What to do with a problem in the ground truth.</summary>
    public ValidationPolicy Policy { get; init; } = ValidationPolicy.Fix;

    /// <summary>
    /// Decode every image to prove it is readable and of the annotated size (slow: a full decode per image).
    /// Without it, only the existence of each image file is checked.
    /// </summary>
    public bool VerifyImages { get; init; }

    /// <summary>
    /// Whether each image file must exist (true: an image without its file is skipped as a problem). Scoring
    /// precomputed detections needs the annotations only, as pycocotools does: with false, an image whose
    /// file is absent is kept when its annotation gives its size.
    /// </summary>
    public bool RequireImageFiles { get; init; } = true;

    /// <summary>
    /// Training defaults: difficult and crowd objects dropped, problems fixed or skipped; kept when
    /// <paramref name="ignoreDifficult"/>, for a training that ignores them (they must be read to be ignored).
    /// </summary>
    public static DatasetReadOptions ForTraining(IReadOnlyList<string>? classNames, string split = "trainval", bool ignoreDifficult = false) =>
        new() { ClassNames = classNames, Split = split, KeepDifficult = ignoreDifficult, KeepCrowd = ignoreDifficult };

    /// <summary>Evaluation defaults: difficult and crowd objects kept (the evaluator ignores them), problems fixed or skipped.</summary>
    public static DatasetReadOptions ForEvaluation(IReadOnlyList<string>? classNames, string split = "test") =>
        new() { ClassNames = classNames, Split = split, KeepDifficult = true, KeepCrowd = true };
}
