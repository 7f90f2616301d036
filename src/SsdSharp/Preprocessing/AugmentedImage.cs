namespace SsdSharp.Preprocessing;

/// <summary>
/// The image of a sample while it is augmented: a <see cref="Width"/>×<see cref="Height"/> window on a
/// canvas where the decoded pixels sit and everything else has one <see cref="Fill"/> colour.
/// </summary>
/// <remarks>
/// Expand, crop and mirror change only this window (a few integers), never copy pixels: the reference
/// materialises an expanded canvas of up to 16 times the image area and then crops it, which would
/// dominate the loader's time. Reading a pixel of the window gives exactly what the reference's copies
/// hold, so the resize that ends the pipeline sees the same values. Per-pixel colour changes
/// (<see cref="TransformColours"/>) touch the real pixels still in the window and the fill colour.
/// </remarks>
public sealed class AugmentedImage
{
    private RgbImage _source;
    private readonly float[] _fill = new float[3];

    // View pixel (x, y) is source pixel (_offsetX + _stepX · x, _offsetY + y) when that lies inside the
    // clip rectangle [_clipX1, _clipX2) × [_clipY1, _clipY2), the part of the source still in the image
    // after crops; otherwise it is the fill colour.
    private int _offsetX, _offsetY, _stepX = 1;
    private int _clipX1, _clipY1, _clipX2, _clipY2;

    /// <summary>A window showing the whole of <paramref name="source"/>, which it owns from now on (colour changes write into it).</summary>
    public AugmentedImage(RgbImage source)
    {
        _source = source;
        Reset(source);
    }

    /// <summary>Width of the window in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Height of the window in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>The colour (R, G, B) of window pixels that are not image pixels (the expand canvas).</summary>
    public ReadOnlySpan<float> Fill => _fill;

    /// <summary>Whether any window pixel shows the fill colour rather than an image pixel.</summary>
    public bool ShowsFill
    {
        get
        {
            int first = _offsetX, last = _offsetX + _stepX * (Width - 1);
            int minX = Math.Min(first, last), maxX = Math.Max(first, last);
            return minX < _clipX1 || maxX >= _clipX2 || _offsetY < _clipY1 || _offsetY + Height > _clipY2;
        }
    }

    /// <summary>
    /// Places the current window at (<paramref name="left"/>, <paramref name="top"/>) on a larger canvas
    /// filled with <paramref name="fill"/> (R, G, B), which becomes the window.
    /// </summary>
    public void Expand(int canvasWidth, int canvasHeight, int left, int top, ReadOnlySpan<float> fill)
    {
        if (left < 0 || top < 0 || left + Width > canvasWidth || top + Height > canvasHeight)
            throw new ArgumentOutOfRangeException(nameof(left),
                $"a {Width}×{Height} image at ({left}, {top}) does not fit a {canvasWidth}×{canvasHeight} canvas");
        // One fill colour can be represented; an older, different one (colour-distorted, say) is baked in first.
        if (ShowsFill && !fill.SequenceEqual(_fill)) Flatten();
        _offsetX -= _stepX * left;
        _offsetY -= top;
        Width = canvasWidth;
        Height = canvasHeight;
        fill.CopyTo(_fill);
    }

    /// <summary>Keeps the window rectangle [<paramref name="left"/>, left + width) × [<paramref name="top"/>, top + height).</summary>
    public void Crop(int left, int top, int width, int height)
    {
        if (width <= 0 || height <= 0 || left < 0 || top < 0 || left + width > Width || top + height > Height)
            throw new ArgumentOutOfRangeException(nameof(left),
                $"crop {width}×{height} at ({left}, {top}) is not inside the {Width}×{Height} image");
        int a = _offsetX + _stepX * left, b = _offsetX + _stepX * (left + width - 1);
        _clipX1 = Math.Max(_clipX1, Math.Min(a, b));
        _clipX2 = Math.Min(_clipX2, Math.Max(a, b) + 1);
        _clipY1 = Math.Max(_clipY1, _offsetY + top);
        _clipY2 = Math.Min(_clipY2, _offsetY + top + height);
        _offsetX = a;
        _offsetY += top;
        Width = width;
        Height = height;
    }

    /// <summary>Mirrors the window left to right.</summary>
    public void Mirror()
    {
        _offsetX += _stepX * (Width - 1);
        _stepX = -_stepX;
    }

    /// <summary>A pixel-wise colour operation on a run of interleaved R, G, B values.</summary>
    public delegate void ColourOperation(Span<float> rgb);

    /// <summary>
    /// Applies a pixel-wise colour operation to every image pixel in the window and to the fill colour,
    /// which is what applying it to every window pixel means.
    /// </summary>
    public void TransformColours(ColourOperation operation)
    {
        if (_clipX2 > _clipX1)
        {
            for (int y = _clipY1; y < _clipY2; y++)
                operation(_source.Pixels.AsSpan((y * _source.Width + _clipX1) * 3, (_clipX2 - _clipX1) * 3));
        }
        operation(_fill);
    }

    /// <summary>Reads the window pixel (<paramref name="x"/>, <paramref name="y"/>) as R, G, B.</summary>
    public void GetPixel(int x, int y, Span<float> rgb)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}×{Height} image");
        int column = ColumnOffset(x), row = RowStart(y);
        ReadOnlySpan<float> value = column < 0 || row < 0 ? _fill : _source.Pixels.AsSpan(row + column, 3);
        value.CopyTo(rgb);
    }

    /// <summary>A copy of the window's pixels.</summary>
    /// <exception cref="InvalidOperationException">The window (an expanded canvas up to 16 times the image) holds more values than an array can.</exception>
    public RgbImage ToRgbImage()
    {
        // In long: an int product of a 4× expanded large image wraps around.
        long values = 3L * Width * Height;
        if (values > Array.MaxLength)
            throw new InvalidOperationException($"a {Width}×{Height} window holds {values} values, more than one array can; expand less");
        var pixels = new float[values];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
                GetPixel(x, y, pixels.AsSpan((y * Width + x) * 3, 3));
        }
        return new RgbImage(Width, Height, pixels);
    }

    /// <summary>Offset within a source row of the pixel under window column <paramref name="x"/>, or −1 when that column is fill.</summary>
    internal int ColumnOffset(int x)
    {
        int sourceX = _offsetX + _stepX * x;
        return sourceX >= _clipX1 && sourceX < _clipX2 ? sourceX * 3 : -1;
    }

    /// <summary>Index in the source buffer where the row under window row <paramref name="y"/> starts, or −1 when that row is fill.</summary>
    internal int RowStart(int y)
    {
        int sourceY = _offsetY + y;
        return sourceY >= _clipY1 && sourceY < _clipY2 ? sourceY * _source.Width * 3 : -1;
    }

    /// <summary>The source pixel buffer (interleaved RGB).</summary>
    internal float[] SourcePixels => _source.Pixels;

    /// <summary>Width of the source image, whose rows <see cref="RowStart"/> indexes.</summary>
    internal int SourceWidth => _source.Width;

    private void Flatten()
    {
        var flat = ToRgbImage();
        _source = flat;
        Reset(flat);
    }

    private void Reset(RgbImage source)
    {
        Width = source.Width;
        Height = source.Height;
        _offsetX = _offsetY = 0;
        _stepX = 1;
        _clipX1 = _clipY1 = 0;
        _clipX2 = source.Width;
        _clipY2 = source.Height;
    }
}
