using System.Collections;
using SsdSharp.Preprocessing;

namespace SsdSharp.Data;

/// <summary>
/// Images of a dataset split for calibrating a quantized model, as the network sees them (decoded and
/// preprocessed as SPEC §1, no augmentation). Which images is fixed by the seed: a seeded shuffle of the
/// split, the first <c>count</c> taken. Each image is decoded when read, so that a list of hundreds
/// holds no pixels and can be read once per calibration pass.
/// </summary>
public sealed class CalibrationImages : IReadOnlyList<float[]>
{
    private readonly IReadOnlyList<string> _paths;
    private readonly NetworkInputFormat _format;

    private CalibrationImages(IReadOnlyList<string> paths, NetworkInputFormat format)
    {
        _paths = paths;
        _format = format;
    }

    /// <summary>Up to <paramref name="count"/> images of <paramref name="split"/>, chosen by <paramref name="seed"/>.</summary>
    /// <param name="spec">The dataset.</param>
    /// <param name="split">VOC image set; COCO files are one split.</param>
    /// <param name="format">The network's input format.</param>
    /// <param name="count">How many images (all of the split when it has fewer).</param>
    /// <param name="seed">Chooses the images.</param>
    /// <exception cref="SsdInputException">The split has no images, or <paramref name="count"/> is not positive.</exception>
    public static CalibrationImages From(DatasetSpec spec, string split, NetworkInputFormat format, int count, int seed)
    {
        if (count < 1) throw new SsdInputException($"calibration-images: must be at least 1, got {count}");
        var images = DatasetReader.Read(spec, DatasetReadOptions.ForTraining(null, split)).Images;
        if (images.Count == 0) throw new SsdInputException($"{spec}: split '{split}' has no images to calibrate on");
        var paths = images.Select(i => i.ImagePath).ToArray();
        new Random(seed).Shuffle(paths);
        return new CalibrationImages(paths[..Math.Min(count, paths.Length)], format);
    }

    /// <summary>The image files, in the order they are read.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>The preprocessed image <paramref name="index"/> (<c>[3, S, S]</c>), decoded now.</summary>
    /// <exception cref="Imaging.ImageDecodeException">The file cannot be decoded.</exception>
    public float[] this[int index] => Preprocess.ToNetworkInput(RgbImage.Decode(_paths[index]), _format);

    /// <inheritdoc />
    public int Count => _paths.Count;

    /// <inheritdoc />
    public IEnumerator<float[]> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
