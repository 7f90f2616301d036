using SkiaSharp;

namespace SsdSharp.Data.Synthetic;

/// <summary>An object of a synthetic video frame: which moving object it is, and its visible box in this frame.</summary>
/// <param name="ObjectId">The moving object (1, 2, …), the same in every frame.</param>
/// <param name="Annotation">Class and visible box (difficult when mostly hidden or too small), as in the still images.</param>
public sealed record MovingObjectAnnotation(int ObjectId, ObjectAnnotation Annotation);

/// <summary>
/// A synthetic video for testing detection and tracking against known paths: shapes of the synthetic set move at
/// constant velocity over a still background drawn as the still images' are, bouncing off the frame's edges; later
/// objects pass in front of earlier ones. Objects 1 and 2, twins of one shape, class and size, cross head-on at the
/// centre halfway through, object 2 (a little lower) in front. Each frame has fresh sensor noise; ground truth boxes are the visible pixels, as in the still images.
/// </summary>
public sealed class SyntheticVideo
{
    private readonly SyntheticVideoOptions _options;
    private readonly IReadOnlyList<ShapeKind> _kinds;
    private readonly SKBitmap _background;
    private readonly List<Mover> _movers = [];

    /// <summary>Plans the video: background, objects, their shapes, colours and paths.</summary>
    /// <exception cref="SsdInputException">Invalid options.</exception>
    public SyntheticVideo(SyntheticVideoOptions options)
    {
        _options = options;
        _kinds = options.Validate();
        var rng = SyntheticRandom.ForImage(options.Seed, -1);
        _background = new SKBitmap(new SKImageInfo(options.Width, options.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(_background)) SyntheticImageRenderer.DrawBackground(canvas, rng, options.Width, options.Height);
        double scale = Math.Sqrt((double)options.Width * options.Height) / options.ImageOptions.NetworkInputSize;
        var colours = new List<SKColor>();
        for (int i = 0; i < options.Objects; i++)
        {
            var kind = i == 1 ? _movers[0].Kind : rng.Pick(_kinds); // the crossing pair: one class and shape, the hard case
            double size = rng.LogUniform(options.NetworkSize.Min, options.NetworkSize.Max) * scale;
            size = Math.Min(size, 0.45 * Math.Min(options.Width, options.Height));
            double aspect = rng.LogUniform(0.75, 1 / 0.75);
            double rx = size * Math.Sqrt(aspect) / 2, ry = size / Math.Sqrt(aspect) / 2;
            var vertices = ShapeOutline.Vertices(kind, rx, ry, rng);
            if (i == 1) (rx, ry, vertices) = (_movers[0].Rx, _movers[0].Ry, _movers[0].Vertices); // twins: only their paths tell them apart
            double speed = rng.Uniform(options.Speed.Min, options.Speed.Max);
            double angle = rng.Uniform(0, 2 * Math.PI);
            var start = new SKPoint((float)rng.Uniform(0, options.Width), (float)rng.Uniform(0, options.Height));
            var velocity = new SKPoint((float)(speed * Math.Cos(angle)), (float)(speed * Math.Sin(angle)));
            if (i < 2)
            {
                // Head-on along the middle row, meeting at the centre at half time (object 2 a little lower, in front).
                double half = (options.Frames - 1) / 2.0, v = i == 0 ? speed : -speed;
                velocity = new SKPoint((float)v, 0);
                start = new SKPoint((float)(options.Width / 2.0 - v * half), (float)(options.Height / 2.0 + i * 0.3 * ry));
            }
            var mover = new Mover(i + 1, kind, rx, ry, vertices, start, velocity);
            var colour = SyntheticImageRenderer.ContrastingColour(_background, mover.Bounds(0, options.Width, options.Height), colours, rng);
            colours.Add(colour);
            _movers.Add(mover with { Style = SyntheticImageRenderer.ShapeStyle.Pick(colour, rng) });
        }
    }

    /// <summary>The options the video was made with.</summary>
    public SyntheticVideoOptions Options => _options;

    /// <summary>Draws frame <paramref name="index"/> (the caller disposes the bitmap) and its visible objects, by object id.</summary>
    public (SKBitmap Image, IReadOnlyList<MovingObjectAnnotation> Objects) Render(int index)
    {
        int width = _options.Width, height = _options.Height;
        var image = _background.Copy();
        using var canvas = new SKCanvas(image);
        using var mask = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        using var maskCanvas = new SKCanvas(mask);
        maskCanvas.Clear(SKColors.Transparent);
        var placed = new List<PlacedShape>();
        foreach (var mover in _movers)
        {
            var shape = mover.Place(index, width, height);
            placed.Add(shape);
            SyntheticImageRenderer.Paint(canvas, maskCanvas, shape, (byte)placed.Count, mover.Style);
        }
        SyntheticImageRenderer.Degrade(canvas, image, SyntheticRandom.ForImage(_options.Seed, index));
        var annotations = SyntheticImageRenderer.Annotate(mask, placed, _kinds, _options.ImageOptions, width, height);
        foreach (var shape in placed) shape.Path.Dispose();
        var objects = annotations.Select((a, k) => a is null ? null : new MovingObjectAnnotation(k + 1, a)).OfType<MovingObjectAnnotation>().ToList();
        return (image, objects);
    }

    /// <summary>One object and its path: a start, a velocity, reflections at the frame's edges.</summary>
    private sealed record Mover(int Id, ShapeKind Kind, double Rx, double Ry, SKPoint[]? Vertices, SKPoint Start, SKPoint Velocity)
    {
        public SyntheticImageRenderer.ShapeStyle Style { get; init; }

        private SKRect Extent => Vertices is null
            ? new SKRect((float)-Rx, (float)-Ry, (float)Rx, (float)Ry)
            : new SKRect(Vertices.Min(p => p.X), Vertices.Min(p => p.Y), Vertices.Max(p => p.X), Vertices.Max(p => p.Y));

        /// <summary>The centre at frame <paramref name="t"/>: straight on, mirrored at the edges (the path of a ball on a table).</summary>
        public SKPoint Centre(int t, int width, int height)
        {
            var e = Extent;
            return new SKPoint(Reflect(Start.X + Velocity.X * t, -e.Left, width - e.Right), Reflect(Start.Y + Velocity.Y * t, -e.Top, height - e.Bottom));
        }

        public SKRect Bounds(int t, int width, int height)
        {
            var c = Centre(t, width, height);
            var e = Extent;
            return new SKRect(e.Left + c.X, e.Top + c.Y, e.Right + c.X, e.Bottom + c.Y);
        }

        public PlacedShape Place(int t, int width, int height)
        {
            var c = Centre(t, width, height);
            var bounds = Bounds(t, width, height);
            var path = new SKPath();
            if (Vertices is null) path.AddOval(bounds);
            else path.AddPoly(Vertices.Select(v => new SKPoint(v.X + c.X, v.Y + c.Y)).ToArray(), close: true);
            double area = Vertices is null ? Math.PI * Rx * Ry : ShapeOutline.PolygonArea(Vertices);
            return new PlacedShape(Kind, path, bounds, area);
        }

        /// <summary><paramref name="x"/> folded into [low, high] by mirroring at both ends.</summary>
        private static float Reflect(double x, double low, double high)
        {
            double span = high - low;
            if (span <= 0) return (float)((low + high) / 2);
            double p = (x - low) % (2 * span);
            if (p < 0) p += 2 * span;
            return (float)(low + (p <= span ? p : 2 * span - p));
        }
    }
}
