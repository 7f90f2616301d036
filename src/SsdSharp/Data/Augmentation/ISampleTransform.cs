namespace SsdSharp.Data.Augmentation;

/// <summary>
/// One augmentation step (SPEC §6): changes a sample's image, boxes and labels in place, drawing all
/// its random choices from <c>random</c>, so that the same generator state gives the same result.
/// </summary>
public interface ISampleTransform
{
    /// <summary>Applies the step to <paramref name="sample"/>.</summary>
    void Apply(TrainingSample sample, RandomSource random);
}
