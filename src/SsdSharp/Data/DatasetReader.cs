namespace SsdSharp.Data;

/// <summary>Reads the ground truth of a dataset given by a <see cref="DatasetSpec"/>.</summary>
public static class DatasetReader
{
    /// <summary>Reads and validates a VOC or COCO dataset.</summary>
    /// <exception cref="SsdInputException">A missing root, split file or annotation file, malformed JSON, or an unknown class.</exception>
    /// <exception cref="DatasetValidationException">A problem in the data under <see cref="ValidationPolicy.Fail"/>.</exception>
    public static AnnotatedDataset Read(DatasetSpec spec, DatasetReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        return spec.Format == DatasetFormat.Voc
            ? VocReader.Read(spec.Paths, options)
            : CocoReader.Read(spec.AnnotationsFile, spec.ImagesDirectory, options);
    }

    /// <summary>Parses a spec (<see cref="DatasetSpec.Parse"/>), then reads it.</summary>
    public static AnnotatedDataset Read(string spec, DatasetReadOptions options) => Read(DatasetSpec.Parse(spec), options);
}
