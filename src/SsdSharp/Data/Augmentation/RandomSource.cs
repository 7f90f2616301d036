namespace SsdSharp.Data.Augmentation;

/// <summary>
/// A small deterministic pseudo-random generator (xoshiro256**, seeded through SplitMix64) for
/// augmentation. Every random choice of a sample comes from one instance made from
/// (seed, epoch, index), so a sample looks the same whichever thread makes it and whenever.
/// Not thread-safe: one instance per sample.
/// </summary>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public RandomSource(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The generator of one sample: position <paramref name="index"/> of epoch <paramref name="epoch"/> in a run seeded with <paramref name="seed"/>.</summary>
    public static RandomSource ForSample(long seed, long epoch, long index) => new(Combine(seed, epoch, index));

    /// <summary>Mixes several values into one well-spread 64-bit seed.</summary>
    public static ulong Combine(params ReadOnlySpan<long> values)
    {
        ulong state = 0x5D5A_6E3B_94C1_F27Aul;
        foreach (var value in values)
        {
            state ^= (ulong)value;
            state = SplitMix(ref state);
        }
        return state;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1ul << 53));

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"must be positive, got {count}");
        return (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);
    }

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E37_79B9_7F4A_7C15ul;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9ul;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBul;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
