using SsdSharp.IO;

namespace SsdSharp.Data;

/// <summary>What reading a dataset reads, registered with an <see cref="OutputPlan"/>.</summary>
public static class DatasetOutputPlan
{
    /// <summary>
    /// Registers the inputs of <paramref name="spec"/> known before it is read: the COCO annotation file and the VOC
    /// folders of <see cref="DatasetSpec.InputFolders"/>. The images, known once the annotations are read, are
    /// registered then with <see cref="OutputPlan.Reads(IEnumerable{string?})"/>. A null spec (an optional
    /// <c>--data</c> not given) registers nothing.
    /// </summary>
    /// <exception cref="SsdInputException">An output claimed already is among them.</exception>
    public static OutputPlan ReadsDataset(this OutputPlan plan, DatasetSpec? spec) =>
        spec is null ? plan : plan.Reads(spec.Paths).ReadsAllIn(spec.InputFolders);
}
