using SkiaSharp;

namespace SsdSharp.Data.Synthetic;

/// <summary>
/// Draws one synthetic image and its ground truth. Objects are drawn in order, later ones partly covering
/// earlier ones; a label mask drawn alongside (same outlines, no antialiasing) gives each object's visible
/// pixels, so that its box is tight on what can be seen. Everything random comes from the image's own stream.
/// </summary>
internal sealed class SyntheticImageRenderer(SyntheticDatasetOptions options, IReadOnlyList<ShapeKind> kinds)
{
    /// <summary>An earlier object may lose at most this fraction of its box to a later one.</summary>
    private const double MaxCoveredFraction = 0.4;

    /// <summary>Placement attempts per object before it is left out.</summary>
    private const int PlacementTries = 20;

    /// <summary>Renders image <paramref name="index"/>: the bitmap (the caller disposes it) and its objects in drawing order.</summary>
    public (SKBitmap Image, List<ObjectAnnotation> Objects) Render(int index)
    {
        var rng = SyntheticRandom.ForImage(options.Seed, index);
        int width = rng.Int(options.MinSide, options.MaxSide), height = rng.Int(options.MinSide, options.MaxSide);
        var image = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(image);
        using var mask = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        using var maskCanvas = new SKCanvas(mask);
        maskCanvas.Clear(SKColors.Transparent);

        DrawBackground(canvas, rng, width, height);
        var placed = new List<PlacedShape>();
        var colours = new List<SKColor>();
        int count = rng.Int(0, options.MaxObjects);
        for (int k = 0; k < count; k++)
        {
            var shape = Place(rng, width, height, placed);
            if (shape is null) continue;
            // Objects it overlaps must differ in colour too, or their shared edge would vanish.
            var neighbours = placed.Select((p, i) => (p, i)).Where(x => x.p.Bounds.IntersectsWith(shape.Bounds)).Select(x => colours[x.i]).ToArray();
            placed.Add(shape);
            colours.Add(DrawObject(canvas, maskCanvas, image, shape, (byte)placed.Count, neighbours, rng));
        }
        Degrade(canvas, image, rng);
        var objects = Annotate(mask, placed, width, height);
        foreach (var shape in placed) shape.Path.Dispose();
        return (image, objects);
    }

    /// <summary>A gradient or flat background, often overlaid with noise texture and a few stray lines.</summary>
    internal static void DrawBackground(SKCanvas canvas, SyntheticRandom rng, int width, int height)
    {
        var a = BackgroundColour(rng);
        var b = BackgroundColour(rng);
        using (var paint = new SKPaint())
        {
            double style = rng.NextDouble();
            if (style < 0.15)
            {
                paint.Color = a;
            }
            else if (style < 0.75)
            {
                double angle = rng.Uniform(0, 2 * Math.PI), cx = width / 2.0, cy = height / 2.0, r = Math.Max(width, height) / 2.0;
                var start = new SKPoint((float)(cx - r * Math.Cos(angle)), (float)(cy - r * Math.Sin(angle)));
                var end = new SKPoint((float)(cx + r * Math.Cos(angle)), (float)(cy + r * Math.Sin(angle)));
                paint.Shader = SKShader.CreateLinearGradient(start, end, [a, b], SKShaderTileMode.Clamp);
            }
            else
            {
                var centre = new SKPoint((float)rng.Uniform(0, width), (float)rng.Uniform(0, height));
                paint.Shader = SKShader.CreateRadialGradient(centre, (float)(rng.Uniform(0.3, 1.2) * Math.Max(width, height)), [a, b], SKShaderTileMode.Clamp);
            }
            canvas.DrawRect(0, 0, width, height, paint);
        }
        if (rng.Chance(0.7)) DrawTexture(canvas, rng, width, height);
        if (rng.Chance(0.5)) DrawClutter(canvas, rng, width, height);
    }

    /// <summary>Perlin noise drawn at a quarter of the resolution and scaled up: texture at a fraction of the cost.</summary>
    private static void DrawTexture(SKCanvas canvas, SyntheticRandom rng, int width, int height)
    {
        int tw = Math.Max(8, width / 4), th = Math.Max(8, height / 4);
        using var small = new SKBitmap(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var smallCanvas = new SKCanvas(small))
        using (var noise = new SKPaint())
        {
            float fx = (float)rng.LogUniform(0.02, 0.3), fy = (float)(fx * rng.LogUniform(0.5, 2));
            int octaves = rng.Int(1, 3);
            float seed = rng.Int(0, 10_000);
            noise.Shader = rng.Chance(0.5)
                ? SKShader.CreatePerlinNoiseFractalNoise(fx, fy, octaves, seed)
                : SKShader.CreatePerlinNoiseTurbulence(fx, fy, octaves, seed);
            smallCanvas.DrawRect(0, 0, tw, th, noise);
        }
        using var texture = SKImage.FromBitmap(small);
        SKBlendMode[] modes = [SKBlendMode.SrcOver, SKBlendMode.Overlay, SKBlendMode.Multiply, SKBlendMode.Screen];
        using var paint = new SKPaint { Color = SKColors.White.WithAlpha((byte)rng.Int(40, 130)), BlendMode = rng.Pick(modes) };
        canvas.DrawImage(texture, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear), paint);
    }

    /// <summary>Thin lines and curves: edges in the background that belong to no object.</summary>
    private static void DrawClutter(SKCanvas canvas, SyntheticRandom rng, int width, int height)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };
        int lines = rng.Int(1, 6);
        for (int i = 0; i < lines; i++)
        {
            paint.Color = BackgroundColour(rng).WithAlpha((byte)rng.Int(80, 220));
            paint.StrokeWidth = (float)rng.Uniform(1, 4);
            using var path = new SKPath();
            path.MoveTo(Point(rng, width, height));
            if (rng.Chance(0.5)) path.LineTo(Point(rng, width, height));
            else path.QuadTo(Point(rng, width, height), Point(rng, width, height));
            canvas.DrawPath(path, paint);
        }
    }

    private static SKPoint Point(SyntheticRandom rng, int width, int height) =>
        new((float)rng.Uniform(0, width), (float)rng.Uniform(0, height));

    private static SKColor BackgroundColour(SyntheticRandom rng) =>
        SKColor.FromHsv((float)rng.Uniform(0, 360), (float)rng.Uniform(0, 60), (float)rng.Uniform(15, 95));

    /// <summary>
    /// Chooses class, size, stretch, rotation and position of the next object, or null when it finds no place
    /// where it would hide more than <see cref="MaxCoveredFraction"/> of an earlier object's box.
    /// </summary>
    private PlacedShape? Place(SyntheticRandom rng, int width, int height, List<PlacedShape> placed)
    {
        var kind = rng.Pick(kinds);
        // Sizes are drawn in network-input pixels, mostly 30–220 (what SSD300's sources cover, from conv4_3's 30-px
        // boxes up) with a tail of small ones, most of which end up difficult; then scaled to this image.
        double size;
        if (options.ObjectPixels is var (low, high))
        {
            size = rng.LogUniform(low, high);
        }
        else
        {
            double networkSize = rng.Chance(options.SmallObjectShare) ? rng.LogUniform(8, 20) : rng.LogUniform(30, 220);
            size = networkSize * Math.Sqrt((double)width * height) / options.NetworkInputSize;
        }
        double aspect = rng.LogUniform(0.6, 1 / 0.6);
        double rx = size * Math.Sqrt(aspect) / 2, ry = size / Math.Sqrt(aspect) / 2;
        var vertices = ShapeOutline.Vertices(kind, rx, ry, rng);
        var extent = vertices is null ? new SKRect((float)-rx, (float)-ry, (float)rx, (float)ry) : Bounds(vertices);
        // Too large for the image: shrink to fit with a pixel to spare.
        double fit = Math.Min(1, Math.Min((width - 2) / extent.Width, (height - 2) / extent.Height));
        if (fit < 1)
        {
            rx *= fit;
            ry *= fit;
            vertices = vertices?.Select(p => new SKPoint((float)(p.X * fit), (float)(p.Y * fit))).ToArray();
            extent = vertices is null ? new SKRect((float)-rx, (float)-ry, (float)rx, (float)ry) : Bounds(vertices);
        }
        for (int attempt = 0; attempt < PlacementTries; attempt++)
        {
            float cx = (float)rng.Uniform(1 - extent.Left, width - 1 - extent.Right);
            float cy = (float)rng.Uniform(1 - extent.Top, height - 1 - extent.Bottom);
            var bounds = new SKRect(extent.Left + cx, extent.Top + cy, extent.Right + cx, extent.Bottom + cy);
            if (placed.Any(p => CoveredFraction(p.Bounds, bounds) > MaxCoveredFraction)) continue;
            var path = new SKPath();
            if (vertices is null) path.AddOval(bounds);
            else path.AddPoly(vertices.Select(v => new SKPoint(v.X + cx, v.Y + cy)).ToArray(), close: true);
            double area = vertices is null ? Math.PI * rx * ry : ShapeOutline.PolygonArea(vertices);
            return new PlacedShape(kind, path, bounds, area);
        }
        return null;
    }

    /// <summary>The fraction of <paramref name="earlier"/> that <paramref name="later"/> overlaps.</summary>
    private static double CoveredFraction(SKRect earlier, SKRect later)
    {
        var overlap = SKRect.Intersect(earlier, later);
        return overlap.IsEmpty ? 0 : (double)overlap.Width * overlap.Height / ((double)earlier.Width * earlier.Height);
    }

    private static SKRect Bounds(SKPoint[] points) =>
        new(points.Min(p => p.X), points.Min(p => p.Y), points.Max(p => p.X), points.Max(p => p.Y));

    /// <summary>
    /// Draws the object in a colour that stands out from what lies under it and from the colours of the objects it
    /// overlaps (<paramref name="neighbours"/>), and its label into the mask; returns the colour.
    /// </summary>
    private static SKColor DrawObject(SKCanvas canvas, SKCanvas maskCanvas, SKBitmap image, PlacedShape shape, byte label,
        IReadOnlyList<SKColor> neighbours, SyntheticRandom rng)
    {
        var colour = ContrastingColour(image, shape.Bounds, neighbours, rng);
        Paint(canvas, maskCanvas, shape, label, ShapeStyle.Pick(colour, rng));
        return colour;
    }

    /// <summary>How an object is painted: its colour, and a flat fill, a gradient to a shade of it, or an outline.</summary>
    internal readonly record struct ShapeStyle(SKColor Colour, double Kind, double Shade)
    {
        public static ShapeStyle Pick(SKColor colour, SyntheticRandom rng)
        {
            double kind = rng.NextDouble();
            return new ShapeStyle(colour, kind, kind is >= 0.6 and < 0.85 ? rng.Uniform(0.65, 1.35) : 1);
        }
    }

    /// <summary>Paints <paramref name="shape"/> in <paramref name="style"/>, and its label into the mask.</summary>
    internal static void Paint(SKCanvas canvas, SKCanvas maskCanvas, PlacedShape shape, byte label, ShapeStyle style)
    {
        var colour = style.Colour;
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = colour };
        if (style.Kind is >= 0.6 and < 0.85)
        {
            var b = shape.Bounds;
            fill.Shader = SKShader.CreateLinearGradient(new SKPoint(b.Left, b.Top), new SKPoint(b.Right, b.Bottom),
                [colour, Shade(colour, style.Shade)], SKShaderTileMode.Clamp);
        }
        canvas.DrawPath(shape.Path, fill);
        using var maskPaint = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Fill, Color = new SKColor(0, 0, 0, label), BlendMode = SKBlendMode.Src };
        maskCanvas.DrawPath(shape.Path, maskPaint);
        if (style.Kind >= 0.85)
        {
            // An outline widens the shape: the mask gets it too, so the box stays tight on what is drawn.
            float strokeWidth = Math.Max(1, 0.05f * Math.Min(shape.Bounds.Width, shape.Bounds.Height));
            using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = strokeWidth, Color = Shade(colour, 0.45) };
            canvas.DrawPath(shape.Path, stroke);
            maskPaint.Style = SKPaintStyle.Stroke;
            maskPaint.StrokeWidth = strokeWidth;
            maskCanvas.DrawPath(shape.Path, maskPaint);
        }
    }

    /// <summary>A saturated colour far (in RGB) from the mean of nine samples under <paramref name="bounds"/> and from every neighbour colour.</summary>
    internal static SKColor ContrastingColour(SKBitmap image, SKRect bounds, IReadOnlyList<SKColor> neighbours, SyntheticRandom rng)
    {
        double r = 0, g = 0, b = 0;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                int x = Math.Clamp((int)(bounds.Left + bounds.Width * (i + 0.5) / 3), 0, image.Width - 1);
                int y = Math.Clamp((int)(bounds.Top + bounds.Height * (j + 0.5) / 3), 0, image.Height - 1);
                var c = image.GetPixel(x, y);
                r += c.Red / 9.0;
                g += c.Green / 9.0;
                b += c.Blue / 9.0;
            }
        }
        SKColor best = default;
        double bestDistance = -1;
        for (int attempt = 0; attempt < 20 && bestDistance < 140; attempt++)
        {
            var candidate = SKColor.FromHsv((float)rng.Uniform(0, 360), (float)rng.Uniform(50, 100), (float)rng.Uniform(35, 100));
            double distance = neighbours.Aggregate(Distance(candidate, r, g, b), (d, n) => Math.Min(d, Distance(candidate, n.Red, n.Green, n.Blue)));
            if (distance > bestDistance) (best, bestDistance) = (candidate, distance);
        }
        return best;
    }

    private static double Distance(SKColor c, double r, double g, double b) =>
        Math.Sqrt((c.Red - r) * (c.Red - r) + (c.Green - g) * (c.Green - g) + (c.Blue - b) * (c.Blue - b));

    private static SKColor Shade(SKColor colour, double factor) => new(
        (byte)Math.Clamp(colour.Red * factor, 0, 255), (byte)Math.Clamp(colour.Green * factor, 0, 255), (byte)Math.Clamp(colour.Blue * factor, 0, 255));

    /// <summary>Sometimes a slight blur, usually sensor-like noise, over everything.</summary>
    internal static void Degrade(SKCanvas canvas, SKBitmap image, SyntheticRandom rng)
    {
        if (rng.Chance(0.15))
        {
            float sigma = (float)rng.Uniform(0.5, 1.0);
            using var copy = image.Copy();
            using var blur = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp) };
            canvas.DrawBitmap(copy, 0, 0, blur);
        }
        if (!rng.Chance(0.85)) return;
        int amplitude = rng.Int(2, 14);
        uint state = (uint)rng.NextUInt64() | 1;
        var pixels = image.GetPixelSpan();
        for (int row = 0; row < image.Height; row++)
        {
            var line = pixels.Slice(row * image.RowBytes, image.Width * 4);
            for (int i = 0; i < line.Length; i += 4)
            {
                for (int c = 0; c < 3; c++)
                {
                    // xorshift32: cheap per-pixel noise; its seed comes from the image stream.
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    int noise = ((int)(state & 0xFF) - 128) * amplitude / 128;
                    line[i + c] = (byte)Math.Clamp(line[i + c] + noise, 0, 255);
                }
            }
        }
    }

    /// <summary>
    /// Boxes from the label mask: each object's visible pixels. Hidden objects, and slivers a pixel wide, are left
    /// out; small or mostly hidden ones are marked difficult (<see cref="SyntheticDatasetOptions.DifficultBelow"/>).
    /// </summary>
    private List<ObjectAnnotation> Annotate(SKBitmap mask, List<PlacedShape> placed, int width, int height) =>
        Annotate(mask, placed, kinds, options, width, height).OfType<ObjectAnnotation>().ToList();

    /// <summary>The annotation of each object of <paramref name="placed"/> (label k + 1 in the mask), null where it cannot be seen.</summary>
    internal static ObjectAnnotation?[] Annotate(SKBitmap mask, IReadOnlyList<PlacedShape> placed, IReadOnlyList<ShapeKind> kinds,
        SyntheticDatasetOptions options, int width, int height)
    {
        int n = placed.Count;
        var minX = Enumerable.Repeat(int.MaxValue, n + 1).ToArray();
        var minY = Enumerable.Repeat(int.MaxValue, n + 1).ToArray();
        var maxX = new int[n + 1];
        var maxY = new int[n + 1];
        var pixels = new long[n + 1];
        var span = mask.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            var line = span.Slice(y * mask.RowBytes, width);
            for (int x = 0; x < width; x++)
            {
                int label = line[x];
                if (label == 0) continue;
                pixels[label]++;
                if (x < minX[label]) minX[label] = x;
                if (x > maxX[label]) maxX[label] = x;
                if (y < minY[label]) minY[label] = y;
                if (y > maxY[label]) maxY[label] = y;
            }
        }
        var objects = new ObjectAnnotation?[n];
        for (int k = 0; k < n; k++)
        {
            int label = k + 1;
            // In the VOC frame the box is (first pixel, last pixel): it needs two pixels a side to have an area.
            if (pixels[label] == 0 || maxX[label] == minX[label] || maxY[label] == minY[label]) continue;
            double networkWidth = (maxX[label] - minX[label] + 1.0) * options.NetworkInputSize / width;
            double networkHeight = (maxY[label] - minY[label] + 1.0) * options.NetworkInputSize / height;
            double visible = pixels[label] / placed[k].Area;
            bool difficult = Math.Min(networkWidth, networkHeight) < options.DifficultBelow || visible < 0.5;
            int classId = IndexOf(kinds, placed[k].Kind) + 1;
            objects[k] = new ObjectAnnotation(classId, options.ClassNames[classId - 1], minX[label], minY[label], maxX[label], maxY[label], difficult);
        }
        return objects;
    }

    private static int IndexOf(IReadOnlyList<ShapeKind> kinds, ShapeKind kind)
    {
        for (int i = 0; i < kinds.Count; i++)
        {
            if (kinds[i] == kind) return i;
        }
        throw new ArgumentOutOfRangeException(nameof(kind));
    }
}
