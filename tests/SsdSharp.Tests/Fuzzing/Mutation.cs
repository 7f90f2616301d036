using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// One change a fuzzer makes to an input. Positions are fractions of the input's length, so that a
/// mutation applies to any input and prints as a readable recipe.
/// </summary>
internal abstract record Mutation
{
    /// <summary>The mutated copy of <paramref name="input"/>; <paramref name="seeds"/> are the other valid inputs, for splicing.</summary>
    public abstract byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds);

    /// <summary>The index at a fraction of a length, in [0, length].</summary>
    protected static int At(double fraction, int length) => Math.Min((int)(fraction * length), length);

    protected static byte[] Insert(byte[] input, int at, ReadOnlySpan<byte> bytes) => [.. input.AsSpan(0, at), .. bytes, .. input.AsSpan(at)];
}

/// <summary>Flips one bit.</summary>
internal sealed record FlipBit(double Position, int Bit) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        if (input.Length == 0) return input;
        var output = (byte[])input.Clone();
        output[Math.Min(At(Position, input.Length), input.Length - 1)] ^= (byte)(1 << Bit);
        return output;
    }
}

/// <summary>Overwrites one byte.</summary>
internal sealed record SetByte(double Position, byte Value) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        if (input.Length == 0) return input;
        var output = (byte[])input.Clone();
        output[Math.Min(At(Position, input.Length), input.Length - 1)] = Value;
        return output;
    }
}

/// <summary>Inserts bytes: random ones or a syntax token of the formats (a quote, a bracket, an XML entity).</summary>
internal sealed record InsertBytes(double Position, string Text) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds) =>
        Insert(input, At(Position, input.Length), Encoding.Latin1.GetBytes(Text));

    public override string ToString() => $"InsertBytes {{ Position = {Position}, Bytes = {Convert.ToHexString(Encoding.Latin1.GetBytes(Text))} }}";
}

/// <summary>Deletes up to <see cref="Count"/> bytes.</summary>
internal sealed record DeleteBytes(double Position, int Count) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        int at = At(Position, input.Length), count = Math.Min(Count, input.Length - at);
        return [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];
    }
}

/// <summary>Cuts the input short.</summary>
internal sealed record Truncate(double Position) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds) => input[..At(Position, input.Length)];
}

/// <summary>Joins the start of the input to the end of another seed (or of itself).</summary>
internal sealed record Splice(double Position, int Seed, double From) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        var other = seeds[Seed % seeds.Count];
        return [.. input.AsSpan(0, At(Position, input.Length)), .. other.AsSpan(At(From, other.Length))];
    }
}

/// <summary>Replaces one number written in text (JSON, XML, split files) with an extreme one: huge, negative, NaN, fractional.</summary>
internal sealed partial record ReplaceNumber(double Which, string Value) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        var numbers = Number().Matches(Encoding.Latin1.GetString(input));
        if (numbers.Count == 0) return input;
        var number = numbers[Math.Min((int)(Which * numbers.Count), numbers.Count - 1)];
        return [.. input.AsSpan(0, number.Index), .. Encoding.Latin1.GetBytes(Value), .. input.AsSpan(number.Index + number.Length)];
    }

    [GeneratedRegex(@"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")]
    private static partial Regex Number();
}

/// <summary>Overwrites an integer in binary (a declared length, an image side, a pickle argument) with an extreme one.</summary>
internal sealed record OverwriteInteger(double Position, long Value, int Width, bool BigEndian) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        if (input.Length < Width) return input;
        var output = (byte[])input.Clone();
        Span<byte> bytes = stackalloc byte[8];
        if (BigEndian) BinaryPrimitives.WriteInt64BigEndian(bytes, Value);
        else BinaryPrimitives.WriteInt64LittleEndian(bytes, Value);
        var written = BigEndian ? bytes[(8 - Width)..] : bytes[..Width];
        written.CopyTo(output.AsSpan(Math.Min(At(Position, input.Length), input.Length - Width)));
        return output;
    }
}

/// <summary>Inserts a deeply nested opening: JSON arrays or objects, XML elements, pickle marks.</summary>
internal sealed record Nest(double Position, string Opening, int Depth) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds) =>
        Insert(input, At(Position, input.Length), Encoding.Latin1.GetBytes(string.Concat(Enumerable.Repeat(Opening, Depth))));
}

/// <summary>Copies a stretch of the input elsewhere in it: repeated keys, objects, chunks.</summary>
internal sealed record Duplicate(double From, double Length, double To) : Mutation
{
    public override byte[] Apply(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        int from = At(From, input.Length), count = At(Length, input.Length - from);
        return Insert(input, At(To, input.Length), input.AsSpan(from, count));
    }
}
