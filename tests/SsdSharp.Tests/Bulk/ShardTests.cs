using SsdSharp.Bulk;

namespace SsdSharp.Tests.Bulk;

public class ShardTests
{
    [Theory]
    // Values from Python: int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % count (docs/scale.md).
    [InlineData("000001.jpg", 3, 0)]
    [InlineData("000001.jpg", 8, 2)]
    [InlineData("000001.jpg", 1000, 58)]
    [InlineData("a/b/c.png", 3, 1)]
    [InlineData("a/b/c.png", 1000, 753)]
    [InlineData("été.jpg", 3, 1)]
    [InlineData("été.jpg", 1000, 154)]
    public void AnImageBelongsToTheShardOfTheSha256OfItsName(string name, int count, int expected) =>
        Assert.Equal(expected, Shard.Of(name, count));

    [Fact]
    public void ThreeShardsTakeEveryNameExactlyOnce()
    {
        var names = Enumerable.Range(0, 3000).Select(i => $"folder{i % 7}/{i:D6}.jpg").ToList();
        var shards = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).ToList();
        Assert.All(names, name => Assert.Single(shards, s => s.Contains(name)));
        // A hash spreads them: no shard has more than a third plus a margin.
        Assert.All(shards, s => Assert.InRange(names.Count(s.Contains), 900, 1100));
    }

    [Fact]
    public void TheWholeJobIsOneShard() => Assert.True(Shard.All.Contains("anything.jpg"));

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("7/100", 7, 100)]
    public void ParseReadsIndexOverCount(string text, int index, int count) =>
        Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/3")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    [InlineData(" 1/2")]
    [InlineData("")]
    public void ParseRefusesAnythingElseNamingTheSource(string text)
    {
        var e = Assert.Throws<SsdInputException>(() => Shard.Parse(text, "--shard"));
        Assert.StartsWith("--shard: expected INDEX/COUNT", e.Message);
        Assert.Contains($"'{text}'", e.Message);
    }
}
