namespace SsdSharp.Data.Synthetic;

/// <summary>
/// SplitMix64: a small generator with a fixed, documented sequence (unlike <see cref="System.Random"/>,
/// whose algorithm may change between .NET versions), so a seed gives the same dataset everywhere.
/// Each image draws from its own stream derived from (seed, index), which keeps parallel generation deterministic.
/// </summary>
internal sealed class SyntheticRandom(ulong state)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state = state;

    /// <summary>The stream of image <paramref name="index"/> for dataset seed <paramref name="seed"/>.</summary>
    public static SyntheticRandom ForImage(long seed, int index) =>
        new(Mix(Mix((ulong)seed + Golden) ^ ((ulong)index * 0xD1B54A32D192ED03 + 1)));

    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform whole number in [<paramref name="low"/>, <paramref name="high"/>], both included.</summary>
    public int Int(int low, int high) => low + (int)(NextUInt64() % (ulong)(high - low + 1));

    /// <summary>Uniform in log space: as many values in [1, 2] as in [10, 20].</summary>
    public double LogUniform(double low, double high) => Math.Exp(Uniform(Math.Log(low), Math.Log(high)));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count - 1)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
