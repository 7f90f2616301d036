using SkiaSharp;
using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Data.Augmentation;

public class PreprocessTests
{
    private static readonly NetworkInputFormat Rgb300 = NetworkInputFormat.From(SsdPresets.Voc300);

    private static RgbImage Image(int width, int height, Func<int, int, int, float> value)
    {
        var pixels = new float[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                    pixels[(y * width + x) * 3 + c] = value(x, y, c);
        return new RgbImage(width, height, pixels);
    }

    [Theory]
    [InlineData(ResizeSampling.OpenCv, 173, 91)]
    [InlineData(ResizeSampling.OpenCv, 701, 433)]
    [InlineData(ResizeSampling.PyTorch, 173, 91)]
    [InlineData(ResizeSampling.PyTorch, 701, 433)]
    public void Mirroring_the_input_equals_preprocessing_the_mirrored_image(ResizeSampling sampling, int width, int height)
    {
        var image = Image(width, height, (x, y, c) => (x * 37 + y * 11 + c * 5) % 256);
        var format = Rgb300 with { Sampling = sampling };
        var input = Preprocess.ToNetworkInput(image, format);
        var mirrored = new float[input.Length];
        Preprocess.Mirror(input, mirrored, format.Size);

        var augmented = new AugmentedImage(image);
        augmented.Mirror();
        var expected = new float[input.Length];
        BilinearResize.ToChw(augmented, format, expected);
        // Up to float rounding of the interpolation weights (differences of about 0.002 seen).
        float worst = expected.Zip(mirrored, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 0.01f, $"largest difference {worst} on values of 0 to 255 minus the means");
    }

    [Fact]
    public void Constant_image_becomes_colour_minus_means_in_rgb_order()
    {
        var input = Preprocess.ToNetworkInput(RgbImage.Filled(500, 375, 200, 100, 50), Rgb300);

        Assert.Equal(3 * 300 * 300, input.Length);
        Assert.All(input.AsSpan(0, 90000).ToArray(), v => Assert.Equal(200f - 123f, v, 4));
        Assert.All(input.AsSpan(90000, 90000).ToArray(), v => Assert.Equal(100f - 117f, v, 4));
        Assert.All(input.AsSpan(180000, 90000).ToArray(), v => Assert.Equal(50f - 104f, v, 4));
    }

    [Fact]
    public void Bgr_network_gets_blue_first_with_its_own_means()
    {
        var format = new NetworkInputFormat(32, ChannelOrder.Bgr, [104, 117, 123]);
        var input = Preprocess.ToNetworkInput(RgbImage.Filled(40, 30, 200, 100, 50), format);

        Assert.Equal(50f - 104f, input[0], 4);
        Assert.Equal(100f - 117f, input[32 * 32], 4);
        Assert.Equal(200f - 123f, input[2 * 32 * 32], 4);
        Assert.Equal([123f, 117f, 104f], format.MeanRgb);
    }

    [Fact]
    public void Halving_averages_each_two_by_two_block_as_opencv_does()
    {
        var image = Image(600, 600, (x, y, c) => (x * 7 + y * 13 + c * 31) % 256);
        var input = Preprocess.ToNetworkInput(image, Rgb300);

        double[] means = [123, 117, 104];
        for (int c = 0; c < 3; c++)
        {
            foreach (var (dx, dy) in new[] { (0, 0), (17, 150), (299, 299), (123, 5) })
            {
                int x = 2 * dx, y = 2 * dy;
                float expected = (image.Pixels[(y * 600 + x) * 3 + c] + image.Pixels[(y * 600 + x + 1) * 3 + c]
                    + image.Pixels[((y + 1) * 600 + x) * 3 + c] + image.Pixels[((y + 1) * 600 + x + 1) * 3 + c]) / 4;
                Assert.Equal(expected - means[c], input[c * 90000 + dy * 300 + dx], 3);
            }
        }
    }

    [Fact]
    public void Enlarging_interpolates_at_half_pixel_centres_and_repeats_the_edges()
    {
        // A horizontal ramp: value = column. OpenCV samples column (d + 0.5) · 100/300 − 0.5, clamped to [0, 99].
        var image = Image(100, 10, (x, _, _) => x);
        var input = Preprocess.ToNetworkInput(image, Rgb300);

        for (int dx = 0; dx < 300; dx++)
        {
            double expected = Math.Clamp((dx + 0.5) / 3 - 0.5, 0, 99);
            Assert.Equal(expected - 123, input[7 * 300 + dx], 3);
        }
    }

    [Fact]
    public void Torchvision_scales_to_one_subtracts_its_means_and_divides_by_its_stds()
    {
        var format = NetworkInputFormat.From(SsdPresets.Torchvision300);
        var input = Preprocess.ToNetworkInput(RgbImage.Filled(500, 360, 200, 100, 50), format);

        // (v / 255 − mean) / (1 / 255) ≈ v − 255 · mean: about the reference's 123, 117, 104.
        Assert.All(input.AsSpan(0, 90000).ToArray(), v => Assert.Equal((200f / 255 - 0.48235f) / (1f / 255), v, 3));
        Assert.All(input.AsSpan(180000, 90000).ToArray(), v => Assert.Equal((50f / 255 - 0.40784f) / (1f / 255), v, 3));
        Assert.Equal(0.48235f * 255, format.MeanRgb[0], 3);
    }

    [Fact]
    public void Normalising_before_the_resize_also_normalises_the_expand_fill()
    {
        // A 10×10 image in the middle of a 30×30 canvas filled with the mean colour: after normalisation the
        // canvas is 0 whether normalisation comes before or after the resize.
        var format = NetworkInputFormat.From(SsdPresets.Torchvision300) with { Size = 32 };
        var window = new AugmentedImage(RgbImage.Filled(10, 10, 255, 255, 255));
        window.Expand(30, 30, 10, 10, format.MeanRgb);
        var input = new float[format.Length];
        BilinearResize.ToChw(window, format, input);

        Assert.Equal(0f, input[0], 3);
        Assert.Equal((1 - 0.48235f) * 255, input[16 * 32 + 16], 2);
    }

    [Fact]
    public void PyTorch_sampling_computes_the_coordinate_in_float64_from_a_float32_scale()
    {
        // 360 rows to 300, rows alternately 0 and 255: output row 224 blends rows 268 and 269 with the weight
        // 1.2f · 224.5 − 0.5 − 268 = 0.90001070… (float64 from a float32 scale, as PyTorch's CPU kernel does),
        // not 0.9 (OpenCV's float64 scale) nor 0.90002 (all in float32).
        var image = Image(4, 360, (_, y, _) => y % 2 * 255);
        var pytorch = Preprocess.ToNetworkInput(image, Rgb300 with { Sampling = ResizeSampling.PyTorch });
        var opencv = Preprocess.ToNetworkInput(image, Rgb300);

        float weight = (float)(1.2f * 224.5 - 0.5 - 268);
        float opencvWeight = (float)(224.5 * 1.2 - 0.5) - 268;
        Assert.Equal(255 * weight - 123, pytorch[224 * 300], 4);
        Assert.Equal(255 * opencvWeight - 123, opencv[224 * 300], 4);
        Assert.True(Math.Abs(pytorch[224 * 300] - opencv[224 * 300]) > 2e-3);
    }

    [Fact]
    public void Bitmap_input_gives_the_same_values_as_its_float_pixels()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(64, 48, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 4), (byte)(y * 5), (byte)((x + y) % 256)));

        var fromBitmap = Preprocess.ToNetworkInput(bitmap, SsdPresets.Voc300);
        var fromFloats = Preprocess.ToNetworkInput(Image(64, 48, (x, y, c) => c switch { 0 => x * 4, 1 => y * 5, _ => (x + y) % 256 }), Rgb300);

        Assert.Equal(fromFloats, fromBitmap);
    }
}
