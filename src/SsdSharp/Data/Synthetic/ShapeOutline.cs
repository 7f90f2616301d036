using SkiaSharp;

namespace SsdSharp.Data.Synthetic;

/// <summary>
/// The outlines of the shape classes, centred on the origin. Each class keeps a feature the others lack at
/// every size and stretch: the circle no corners, the square four right angles, the triangle three corners,
/// the star five concave notches, the hexagon six obtuse corners.
/// </summary>
internal static class ShapeOutline
{
    /// <summary>
    /// The outline of <paramref name="kind"/> with half-extents (<paramref name="rx"/>, <paramref name="ry"/>) before
    /// rotation, rotated by a class-appropriate random angle: polygon vertices, or null for the (axis-aligned) ellipse.
    /// </summary>
    public static SKPoint[]? Vertices(ShapeKind kind, double rx, double ry, SyntheticRandom rng)
    {
        (double X, double Y)[] unit;
        double degrees;
        switch (kind)
        {
            case ShapeKind.Circle:
                return null;
            case ShapeKind.Square:
                unit = [(-1, -1), (1, -1), (1, 1), (-1, 1)];
                // Beyond ±20° a square reads as a diamond; keep it a square.
                degrees = rng.Uniform(-20, 20);
                break;
            case ShapeKind.Triangle:
                unit = Regular(3, 1, 0);
                degrees = (rng.Chance(0.5) ? 0 : 180) + rng.Uniform(-25, 25);
                break;
            case ShapeKind.Star:
                unit = Star(rng.Uniform(0.38, 0.5));
                degrees = rng.Uniform(0, 72);
                break;
            default:
                unit = Regular(6, 1, 0);
                degrees = rng.Uniform(0, 60);
                break;
        }
        double angle = degrees * Math.PI / 180, cos = Math.Cos(angle), sin = Math.Sin(angle);
        return unit.Select(p => new SKPoint((float)(p.X * rx * cos - p.Y * ry * sin), (float)(p.X * rx * sin + p.Y * ry * cos))).ToArray();
    }

    /// <summary>Area enclosed by a polygon (shoelace formula).</summary>
    public static double PolygonArea(SKPoint[] points)
    {
        double twice = 0;
        for (int i = 0, j = points.Length - 1; i < points.Length; j = i++)
            twice += (double)points[j].X * points[i].Y - (double)points[i].X * points[j].Y;
        return Math.Abs(twice) / 2;
    }

    /// <summary>A regular polygon with a vertex pointing up (−y) when <paramref name="phase"/> is 0.</summary>
    private static (double X, double Y)[] Regular(int corners, double radius, double phase) =>
        Enumerable.Range(0, corners)
            .Select(i => phase - Math.PI / 2 + 2 * Math.PI * i / corners)
            .Select(a => (radius * Math.Cos(a), radius * Math.Sin(a)))
            .ToArray();

    /// <summary>A five-pointed star: outer points at radius 1, notches at <paramref name="inner"/>.</summary>
    private static (double X, double Y)[] Star(double inner)
    {
        var outer = Regular(5, 1, 0);
        var notches = Regular(5, inner, Math.PI / 5);
        return outer.Zip(notches, (o, n) => new[] { o, n }).SelectMany(p => p).ToArray();
    }
}
