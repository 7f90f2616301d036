using SsdSharp.Configuration;

namespace SsdSharp.Preprocessing;

/// <summary>
/// The last step of every pipeline: bilinear resize to the network's square input, normalisation
/// (before or after the resize, as the format says), channel order and CHW layout in one pass.
/// </summary>
/// <remarks>
/// Sampling follows OpenCV's <c>cv2.resize(..., INTER_LINEAR)</c> on float images, which the reference
/// uses, or PyTorch's <c>interpolate(mode="bilinear")</c>, which torchvision uses: source coordinate
/// <c>(d + 0.5) · src/dst − 0.5</c>, edge pixels repeated, no antialiasing when shrinking; a horizontal
/// pass per source row, then a vertical blend of two rows (the order of both libraries' sums).
/// </remarks>
internal static class BilinearResize
{
    /// <summary>Writes <paramref name="image"/> as network input <c>[3, Size, Size]</c> into <paramref name="destination"/>.</summary>
    public static void ToChw(AugmentedImage image, NetworkInputFormat format, Span<float> destination)
    {
        int size = format.Size;
        if (destination.Length != format.Length)
            throw new ArgumentException($"destination holds {destination.Length} floats, expected 3·{size}·{size}", nameof(destination));

        var columns = Taps(image.Width, size, format.Sampling);
        var rows = Taps(image.Height, size, format.Sampling);
        var columnIndex0 = new int[size];
        var columnIndex1 = new int[size];
        for (int d = 0; d < size; d++)
        {
            columnIndex0[d] = image.ColumnOffset(columns.Index0[d]);
            columnIndex1[d] = image.ColumnOffset(columns.Index1[d]);
        }
        bool columnsInside = columnIndex0.All(i => i >= 0) && columnIndex1.All(i => i >= 0);

        // Normalisation applies to source pixels (before the resize) or to interpolated values (after it).
        var normalization = PixelNormalization.Of(format);
        var sourceRow = new SourceRow(image, format.NormalizeBeforeResize ? normalization : null);
        var after = format.NormalizeBeforeResize ? PixelNormalization.Identity : normalization;

        var buffer0 = new float[size * 3];
        var buffer1 = new float[size * 3];
        int row0 = -1, row1 = -1;

        int channelR = format.IsBgr ? 2 : 0, channelB = format.IsBgr ? 0 : 2;
        var planeR = destination.Slice(channelR * size * size, size * size);
        var planeG = destination.Slice(size * size, size * size);
        var planeB = destination.Slice(channelB * size * size, size * size);

        for (int dy = 0; dy < size; dy++)
        {
            int y0 = rows.Index0[dy], y1 = rows.Index1[dy];
            // Rows advance monotonically: reuse the previous horizontal passes where possible.
            if (y0 != row0)
            {
                if (y0 == row1)
                {
                    (buffer0, buffer1) = (buffer1, buffer0);
                    row0 = row1;
                    row1 = -1;
                }
                else
                {
                    HorizontalPass(sourceRow, y0, columns.Alpha, columnIndex0, columnIndex1, columnsInside, buffer0);
                    row0 = y0;
                }
            }
            if (y1 != row1)
            {
                if (y1 == row0) buffer0.CopyTo(buffer1, 0);
                else HorizontalPass(sourceRow, y1, columns.Alpha, columnIndex0, columnIndex1, columnsInside, buffer1);
                row1 = y1;
            }

            float beta1 = rows.Alpha[dy], beta0 = 1f - beta1;
            var outR = planeR.Slice(dy * size, size);
            var outG = planeG.Slice(dy * size, size);
            var outB = planeB.Slice(dy * size, size);
            for (int dx = 0, i = 0; dx < size; dx++, i += 3)
            {
                outR[dx] = after.R(buffer0[i] * beta0 + buffer1[i] * beta1);
                outG[dx] = after.G(buffer0[i + 1] * beta0 + buffer1[i + 1] * beta1);
                outB[dx] = after.B(buffer0[i + 2] * beta0 + buffer1[i + 2] * beta1);
            }
        }
    }

    private static void HorizontalPass(SourceRow source, int viewY, float[] alpha, int[] index0, int[] index1, bool columnsInside, float[] output)
    {
        float fillR = source.Fill[0], fillG = source.Fill[1], fillB = source.Fill[2];
        var row = source.Read(viewY);
        if (row.IsEmpty)
        {
            // Blended like image pixels (not copied) so that values match a materialised canvas bit for bit.
            for (int dx = 0, o = 0; dx < alpha.Length; dx++, o += 3)
            {
                float a1 = alpha[dx], a0 = 1f - a1;
                output[o] = fillR * a0 + fillR * a1;
                output[o + 1] = fillG * a0 + fillG * a1;
                output[o + 2] = fillB * a0 + fillB * a1;
            }
            return;
        }
        if (columnsInside)
        {
            // No fill column: the common case, kept free of branches.
            for (int dx = 0, o = 0; dx < alpha.Length; dx++, o += 3)
            {
                float a1 = alpha[dx], a0 = 1f - a1;
                int i0 = index0[dx], i1 = index1[dx];
                output[o] = row[i0] * a0 + row[i1] * a1;
                output[o + 1] = row[i0 + 1] * a0 + row[i1 + 1] * a1;
                output[o + 2] = row[i0 + 2] * a0 + row[i1 + 2] * a1;
            }
            return;
        }
        for (int dx = 0, o = 0; dx < alpha.Length; dx++, o += 3)
        {
            float a1 = alpha[dx], a0 = 1f - a1;
            int i0 = index0[dx], i1 = index1[dx];
            float r0, g0, b0, r1, g1, b1;
            if (i0 >= 0) { r0 = row[i0]; g0 = row[i0 + 1]; b0 = row[i0 + 2]; }
            else { r0 = fillR; g0 = fillG; b0 = fillB; }
            if (i1 >= 0) { r1 = row[i1]; g1 = row[i1 + 1]; b1 = row[i1 + 2]; }
            else { r1 = fillR; g1 = fillG; b1 = fillB; }
            output[o] = r0 * a0 + r1 * a1;
            output[o + 1] = g0 * a0 + g1 * a1;
            output[o + 2] = b0 * a0 + b1 * a1;
        }
    }

    /// <summary>
    /// The source rows as the horizontal pass reads them: the window's pixels, normalised first when the
    /// format asks for it (into a scratch row, so that the image itself is never changed), and the fill colour likewise.
    /// </summary>
    private sealed class SourceRow
    {
        private readonly AugmentedImage _image;
        private readonly (PixelNormalization Normalization, float[] Scratch)? _normalize;
        private readonly int _rowLength;

        public SourceRow(AugmentedImage image, PixelNormalization? normalization)
        {
            _image = image;
            _rowLength = image.SourceWidth * 3;
            Fill = image.Fill.ToArray();
            if (normalization is not { } n) return;
            n.Apply(image.Fill, Fill);
            _normalize = (n, new float[_rowLength]);
        }

        /// <summary>The window's fill colour, normalised like the pixels.</summary>
        public float[] Fill { get; }

        /// <summary>The whole source row under window row <paramref name="viewY"/> (indexed by <see cref="AugmentedImage.ColumnOffset"/>), or empty when that row is fill.</summary>
        public ReadOnlySpan<float> Read(int viewY)
        {
            int start = _image.RowStart(viewY);
            if (start < 0) return [];
            var row = _image.SourcePixels.AsSpan(start, _rowLength);
            if (_normalize is not (var normalization, var scratch)) return row;
            normalization.Apply(row, scratch);
            return scratch;
        }
    }

    private sealed record TapTable(int[] Index0, int[] Index1, float[] Alpha);

    // The source pixels and weights of each output pixel along one axis, window coordinates.
    private static TapTable Taps(int sourceSize, int destinationSize, ResizeSampling sampling)
    {
        var index0 = new int[destinationSize];
        var index1 = new int[destinationSize];
        var alpha = new float[destinationSize];
        for (int d = 0; d < destinationSize; d++)
        {
            var (s, f) = sampling == ResizeSampling.PyTorch
                ? PyTorchTap(sourceSize, destinationSize, d)
                : OpenCvTap(sourceSize, destinationSize, d);
            index0[d] = s;
            index1[d] = Math.Min(s + 1, sourceSize - 1);
            alpha[d] = f;
        }
        return new TapTable(index0, index1, alpha);
    }

    // cv2.resize INTER_LINEAR: the coordinate in float64, rounded to float32; both ends clamped.
    private static (int Index, float Alpha) OpenCvTap(int sourceSize, int destinationSize, int d)
    {
        double scale = 1.0 / ((double)destinationSize / sourceSize);
        float f = (float)((d + 0.5) * scale - 0.5);
        int s = (int)MathF.Floor(f);
        f -= s;
        if (s < 0) return (0, 0);
        if (s >= sourceSize - 1) return (sourceSize - 1, 0);
        return (s, f);
    }

    // torch.nn.functional.interpolate(bilinear, align_corners=False) on the CPU: the scale in float32, the
    // coordinate and weight in float64 (its accumulation type) from that scale, the weight then rounded to
    // float32; a negative coordinate clamped to 0; past the last pixel both taps are the last pixel.
    private static (int Index, float Alpha) PyTorchTap(int sourceSize, int destinationSize, int d)
    {
        float scale = (float)sourceSize / destinationSize;
        double f = Math.Max(scale * (d + 0.5) - 0.5, 0);
        int s = (int)f;
        return (s, (float)Math.Min(f - s, 1));
    }
}
