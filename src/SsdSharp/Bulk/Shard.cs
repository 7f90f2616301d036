using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SsdSharp.Bulk;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of a bulk job's images. An image belongs to shard
/// <see cref="Of"/>(name): the first 8 bytes of the SHA-256 of its UTF-8 name, read as a big-endian
/// unsigned integer, modulo the count. The hash depends on the name alone, so shards are the same on
/// every machine and run, and adding or removing images never moves another one to a different shard.
/// </summary>
/// <remarks>
/// The same assignment in Python, for tools outside SsdSharp:
/// <c>int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % count</c>.
/// </remarks>
public readonly record struct Shard
{
    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="SsdInputException">Not 0 ≤ <paramref name="index"/> &lt; <paramref name="count"/>.</exception>
    public Shard(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
            throw new SsdInputException($"shard: expected INDEX/COUNT with 0 ≤ INDEX < COUNT, got {index}/{count}");
        Index = index;
        Count = count;
    }

    /// <summary>The shard's index, 0 to <see cref="Count"/> − 1.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>The whole job as one shard.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Reads <c>INDEX/COUNT</c> (as <c>ssd detect --shard</c> takes it).</summary>
    /// <param name="text">For example <c>2/8</c>.</param>
    /// <param name="source">What gave the text, for the message (an option's name).</param>
    /// <exception cref="SsdInputException">Not two integers with 0 ≤ INDEX &lt; COUNT.</exception>
    public static Shard Parse(string text, string source = "shard")
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && TryParseCount(parts[0], out int index) && TryParseCount(parts[1], out int count) && index < count)
            return new Shard(index, count);
        throw new SsdInputException($"{source}: expected INDEX/COUNT with 0 ≤ INDEX < COUNT (e.g. 0/4), got '{text}'");
    }

    /// <summary>The shard, of <paramref name="count"/>, that the image named <paramref name="name"/> belongs to.</summary>
    public static int Of(string name, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    /// <summary>Whether the image named <paramref name="name"/> belongs to this shard.</summary>
    public bool Contains(string name) => Count == 1 || Of(name, Count) == Index;

    /// <summary><c>INDEX/COUNT</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
