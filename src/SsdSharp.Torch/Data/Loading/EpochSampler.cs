using SsdSharp.Data.Augmentation;

namespace SsdSharp.Data.Loading;

/// <summary>Where the sample at one position of a run comes from.</summary>
/// <param name="Epoch">Pass over the dataset, from 0.</param>
/// <param name="Slot">Position within the epoch's order, 0 … N − 1.</param>
/// <param name="ImageIndex">The image: index into the dataset list.</param>
public readonly record struct SamplePosition(long Epoch, int Slot, int ImageIndex);

/// <summary>
/// An endless stream of image indices: epoch after epoch, each a fresh permutation of the N images
/// drawn from (seed, epoch). Sample position p (batch i holds positions i·B … i·B + B − 1) is slot
/// p mod N of epoch p / N, so the stream never runs dry, epochs need not align with batches, and any
/// position can be computed directly (resume, any number of workers). Thread-safe.
/// </summary>
public sealed class EpochSampler
{
    private readonly long _seed;
    // A reference, so that threads swap it atomically.
    private CachedOrder? _cached;

    private sealed record CachedOrder(long Epoch, int[] Order);

    /// <summary>A sampler over <paramref name="imageCount"/> images.</summary>
    public EpochSampler(int imageCount, long seed)
    {
        if (imageCount < 1) throw new ArgumentOutOfRangeException(nameof(imageCount), $"needs at least one image, got {imageCount}");
        ImageCount = imageCount;
        _seed = seed;
    }

    /// <summary>Number of images N.</summary>
    public int ImageCount { get; }

    /// <summary>The image at sample position <paramref name="position"/> of the run.</summary>
    public SamplePosition At(long position)
    {
        long epoch = position / ImageCount;
        int slot = (int)(position % ImageCount);
        return new SamplePosition(epoch, slot, Order(epoch)[slot]);
    }

    /// <summary>The order of the images in <paramref name="epoch"/>: a permutation of 0 … N − 1 (do not modify).</summary>
    public int[] Order(long epoch)
    {
        var cached = _cached;
        if (cached != null && cached.Epoch == epoch) return cached.Order;
        var order = Enumerable.Range(0, ImageCount).ToArray();
        // −1 keeps the order's stream apart from the samples' streams (seed, epoch, slot ≥ 0).
        var random = RandomSource.ForSample(_seed, epoch, -1);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        _cached = new CachedOrder(epoch, order);
        return order;
    }
}
