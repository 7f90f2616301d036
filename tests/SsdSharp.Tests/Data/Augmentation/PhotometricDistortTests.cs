using SsdSharp.Data.Augmentation;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Data.Augmentation;

public class PhotometricDistortTests
{
    private static TrainingSample Sample(params float[] pixels) =>
        new("p", new AugmentedImage(new RgbImage(pixels.Length / 3, 1, pixels)), [], []);

    [Theory]
    [InlineData(255, 0, 0, 0)]
    [InlineData(0, 255, 0, 120)]
    [InlineData(0, 0, 255, 240)]
    [InlineData(255, 255, 0, 60)]
    [InlineData(255, 0, 255, 300)]
    public void Hue_is_in_degrees_as_opencv_float_hsv(float r, float g, float b, float hue)
    {
        PhotometricDistort.RgbToHsv(r, g, b, out float h, out float s, out float v);
        Assert.Equal(hue, h, 3);
        Assert.Equal(1f, s, 5);
        Assert.Equal(255f, v);
    }

    [Fact]
    public void Hsv_round_trip_returns_non_negative_colours()
    {
        var random = new RandomSource(4);
        for (int i = 0; i < 10000; i++)
        {
            float r = random.NextInt(256), g = random.NextInt(256), b = random.NextInt(256);
            PhotometricDistort.RgbToHsv(r, g, b, out float h, out float s, out float v);
            PhotometricDistort.HsvToRgb(h, s, v, out float r2, out float g2, out float b2);
            Assert.Equal(r, r2, 2);
            Assert.Equal(g, g2, 2);
            Assert.Equal(b, b2, 2);
        }
    }

    [Fact]
    public void Hue_shift_goes_both_ways_around_red_and_keeps_saturation_and_value()
    {
        // Pure red (hue 0) shifted by up to ±18°: a shift down must come out at 342–360°, one up at 0–18°, the colour's
        // saturation and value unchanged. Over 40 draws both directions occur.
        bool down = false, up = false;
        Span<float> rgb = stackalloc float[3];
        for (int seed = 0; seed < 40; seed++)
        {
            var sample = Sample(255, 0, 0);
            var distort = new PhotometricDistort { Probability = 1, BrightnessDelta = 0, ContrastLower = 1, ContrastUpper = 1,
                SaturationLower = 1, SaturationUpper = 1, HueDelta = 18, ChannelSwap = false };
            distort.Apply(sample, new RandomSource((ulong)seed));
            sample.Image.GetPixel(0, 0, rgb);

            PhotometricDistort.RgbToHsv(rgb[0], rgb[1], rgb[2], out float h, out float sat, out float v);
            Assert.True(h is >= 342f and < 360f or > 0f and <= 18f, $"seed {seed}: hue {h}");
            Assert.Equal(1f, sat, 3);
            Assert.Equal(255f, v, 2);
            down |= h > 180f;
            up |= h < 180f;
        }
        Assert.True(down && up, $"shifts down: {down}, up: {up}");
    }

    [Fact]
    public void Channel_swap_alone_permutes_each_pixel_the_same_way()
    {
        var distort = new PhotometricDistort { Probability = 0 };
        var swapOnly = new PhotometricDistort { Probability = 1, BrightnessDelta = 0, ContrastLower = 1, ContrastUpper = 1,
            SaturationLower = 1, SaturationUpper = 1, HueDelta = 0 };
        var seen = new HashSet<string>();
        for (ulong seed = 0; seed < 60; seed++)
        {
            var sample = Sample(10, 20, 30, 40, 50, 60);
            swapOnly.Apply(sample, new RandomSource(seed));
            var pixels = sample.Image.ToRgbImage().Pixels;
            Assert.Equal(new float[] { 10, 20, 30 }, pixels[..3].Order().Select(v => MathF.Round(v)));
            Assert.Equal(new float[] { 40, 50, 60 }, pixels[3..].Order().Select(v => MathF.Round(v)));
            Assert.Equal(MathF.Round(pixels[0]) + 30, MathF.Round(pixels[3]));
            seen.Add(string.Join(",", pixels[..3].Select(v => MathF.Round(v))));
        }
        Assert.Equal(6, seen.Count);

        var untouched = Sample(10, 20, 30);
        distort.Apply(untouched, new RandomSource(0));
        Assert.Equal([10f, 20f, 30f], untouched.Image.ToRgbImage().Pixels.Select(v => MathF.Round(v, 3)));
    }

    [Fact]
    public void Brightness_and_contrast_move_values_within_their_bounds()
    {
        var brightness = new PhotometricDistort { Probability = 1, ContrastLower = 1, ContrastUpper = 1,
            SaturationLower = 1, SaturationUpper = 1, HueDelta = 0, ChannelSwap = false };
        for (ulong seed = 0; seed < 50; seed++)
        {
            var sample = Sample(100, 100, 100);
            brightness.Apply(sample, new RandomSource(seed));
            var v = sample.Image.ToRgbImage().Pixels;
            Assert.InRange(v[0], 68f, 132f);
            Assert.Equal(v[0], v[1], 3);
        }
        var contrast = brightness with { BrightnessDelta = 0, ContrastLower = 0.5, ContrastUpper = 1.5 };
        var sampleC = Sample(100, 100, 100);
        contrast.Apply(sampleC, new RandomSource(3));
        Assert.InRange(sampleC.Image.ToRgbImage().Pixels[0], 50f, 150f);
    }

    [Fact]
    public void Vectorised_rows_give_the_values_of_the_one_pixel_path()
    {
        // The same 37 pixels as one row (vector path) and as one column (a pixel per row: scalar path).
        var random = new RandomSource(12);
        var pixels = Enumerable.Range(0, 37 * 3).Select(_ => (float)random.Uniform(-20, 280)).ToArray();
        for (ulong seed = 0; seed < 40; seed++)
        {
            var row = new TrainingSample("r", new AugmentedImage(new RgbImage(37, 1, (float[])pixels.Clone())), [], []);
            var column = new TrainingSample("c", new AugmentedImage(new RgbImage(1, 37, (float[])pixels.Clone())), [], []);
            new PhotometricDistort().Apply(row, new RandomSource(seed));
            new PhotometricDistort().Apply(column, new RandomSource(seed));
            Assert.Equal(column.Image.ToRgbImage().Pixels, row.Image.ToRgbImage().Pixels);
        }
    }
}
