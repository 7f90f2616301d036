using SsdSharp.Data.Synthetic;

namespace SsdSharp.Tests.Data.Synthetic;

public class ShapeOutlineTests
{
    [Theory]
    [InlineData(ShapeKind.Square, 4, 4.0)]
    [InlineData(ShapeKind.Hexagon, 6, 2.598076)]
    [InlineData(ShapeKind.Triangle, 3, 1.299038)]
    [InlineData(ShapeKind.Star, 10, -1)]
    public void Outlines_have_their_corners_and_area(ShapeKind kind, int corners, double area)
    {
        var points = ShapeOutline.Vertices(kind, 1, 1, new SyntheticRandom(1))!;
        Assert.Equal(corners, points.Length);
        if (area > 0) Assert.Equal(area, ShapeOutline.PolygonArea(points), 4);
        Assert.All(points, p => Assert.InRange(Math.Sqrt(p.X * p.X + p.Y * p.Y), 0.3, 1.4143));
    }

    [Fact]
    public void Circles_are_ellipses_not_polygons() =>
        Assert.Null(ShapeOutline.Vertices(ShapeKind.Circle, 2, 1, new SyntheticRandom(1)));

    [Fact]
    public void Image_streams_depend_on_seed_and_index_only()
    {
        Assert.Equal(SyntheticRandom.ForImage(5, 9).NextUInt64(), SyntheticRandom.ForImage(5, 9).NextUInt64());
        Assert.NotEqual(SyntheticRandom.ForImage(5, 9).NextUInt64(), SyntheticRandom.ForImage(5, 10).NextUInt64());
        Assert.NotEqual(SyntheticRandom.ForImage(5, 9).NextUInt64(), SyntheticRandom.ForImage(6, 9).NextUInt64());
        // SplitMix64's published first output for state 0, so the sequence is the documented one.
        Assert.Equal(0xE220A8397B1DCDAFUL, new SyntheticRandom(0).NextUInt64());
    }
}
