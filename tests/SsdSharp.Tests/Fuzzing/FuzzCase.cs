using CsCheck;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>One fuzz input: a valid seed and the mutations applied to it in turn.</summary>
internal sealed record FuzzCase(int Seed, IReadOnlyList<Mutation> Mutations)
{
    private static readonly Gen<double> Position = Gen.Double[0, 1];

    /// <summary>Numbers that break parsers: beyond int and long, negative, NaN, infinite, fractional where whole is expected.</summary>
    private static readonly string[] ExtremeNumbers =
    [
        "1e300", "-1e300", "1E+400", "NaN", "Infinity", "-Infinity", "-1", "0", "-0", "0.5", "1.5", "1e-300",
        "65536", "1000000", "100000000", "1e9", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616", "99999999999999999999999999",
    ];

    /// <summary>Syntax of the formats under test, so that insertions reach past the first syntax check.</summary>
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "\"\":", "\\", "\\u0000", "\\ud800", "\n", "\r\n", " ", "\t",
        "<", ">", "</", "/>", "<!--", "&amp;", "&", "&#0;", "<![CDATA[", "<!DOCTYPE a [<!ENTITY e \"xxxxxxxxxx\">]>", "&e;",
        "<object>", "</object>", "<bndbox>", "<size>", "M", "C", "..", "/", "\u00e9", "\u00c3\u0028", "\u00ff\u00fe", "\u0000",
    ];

    private static readonly long[] ExtremeIntegers =
    [
        0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 65000, 100_000, int.MaxValue, int.MinValue, uint.MaxValue,
        1L << 32, 1L << 40, long.MaxValue, long.MinValue,
    ];

    private static readonly string[] Openings = ["[", "{\"a\":", "<a>", "(", "]("];

    private static readonly Gen<Mutation> AnyMutation = Gen.Frequency<Mutation>(
        (4, Gen.Select(Position, Gen.Int[0, 7], (p, b) => (Mutation)new FlipBit(p, b))),
        (2, Gen.Select(Position, Gen.Byte, (p, v) => (Mutation)new SetByte(p, v))),
        (2, Gen.Select(Position, Gen.Char[(char)0, (char)255].Array[1, 8], (p, c) => (Mutation)new InsertBytes(p, new string(c)))),
        (3, Gen.Select(Position, Gen.OneOf(Tokens), (p, t) => (Mutation)new InsertBytes(p, t))),
        (2, Gen.Select(Position, Gen.Int[1, 64], (p, n) => (Mutation)new DeleteBytes(p, n))),
        (1, Position.Select(p => (Mutation)new Truncate(p))),
        (2, Gen.Select(Position, Gen.Int[0, 1000], Position, (p, s, f) => (Mutation)new Splice(p, s, f))),
        (4, Gen.Select(Position, Gen.OneOf(ExtremeNumbers), (w, v) => (Mutation)new ReplaceNumber(w, v))),
        (2, Gen.Select(Position, Gen.OneOf(ExtremeIntegers), Gen.OneOf(2, 4, 8), Gen.Bool, (p, v, w, b) => (Mutation)new OverwriteInteger(p, v, w, b))),
        (1, Gen.Select(Position, Gen.OneOf(Openings), Gen.OneOf(2, 10, 100, 1000, 100_000), (p, o, d) => (Mutation)new Nest(p, o, d))),
        (1, Gen.Select(Position, Position, Position, (f, l, t) => (Mutation)new Duplicate(f, l, t))));

    /// <summary>Cases over <paramref name="seedCount"/> seeds, each with one to six mutations.</summary>
    public static Gen<FuzzCase> Generator(int seedCount) =>
        Gen.Select(Gen.Int[0, seedCount - 1], AnyMutation.Array[1, 6], (s, m) => new FuzzCase(s, m));

    /// <summary>The mutated input.</summary>
    public byte[] Build(IReadOnlyList<byte[]> seeds) =>
        Mutations.Aggregate(seeds[Seed], (input, mutation) => mutation.Apply(input, seeds));

    public override string ToString() => $"seed {Seed}, then {string.Join(", ", Mutations)}";
}
