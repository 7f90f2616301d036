using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Data.Augmentation;

/// <summary>The lazy window must show exactly what eager copies (the reference's numpy arrays) would hold.</summary>
public class AugmentedImageTests
{
    private static RgbImage RandomImage(RandomSource random, int width, int height)
    {
        var pixels = new float[width * height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextInt(256);
        return new RgbImage(width, height, pixels);
    }

    // Eager versions of the window operations, written the obvious way.
    private static RgbImage EagerExpand(RgbImage image, int canvasWidth, int canvasHeight, int left, int top, float[] fill)
    {
        var canvas = RgbImage.Filled(canvasWidth, canvasHeight, fill[0], fill[1], fill[2]);
        for (int y = 0; y < image.Height; y++)
            Array.Copy(image.Pixels, y * image.Width * 3, canvas.Pixels, ((top + y) * canvasWidth + left) * 3, image.Width * 3);
        return canvas;
    }

    private static RgbImage EagerCrop(RgbImage image, int left, int top, int width, int height)
    {
        var pixels = new float[width * height * 3];
        for (int y = 0; y < height; y++)
            Array.Copy(image.Pixels, ((top + y) * image.Width + left) * 3, pixels, y * width * 3, width * 3);
        return new RgbImage(width, height, pixels);
    }

    private static RgbImage EagerMirror(RgbImage image)
    {
        var pixels = new float[image.Pixels.Length];
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                Array.Copy(image.Pixels, (y * image.Width + x) * 3, pixels, (y * image.Width + image.Width - 1 - x) * 3, 3);
        return new RgbImage(image.Width, image.Height, pixels);
    }

    private static void AddToAll(Span<float> rgb, float delta)
    {
        for (int i = 0; i < rgb.Length; i++) rgb[i] += delta;
    }

    [Fact]
    public void Random_sequences_of_expand_crop_mirror_and_colour_changes_match_eager_copies()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new RandomSource((ulong)seed);
            var source = RandomImage(random, 5 + random.NextInt(30), 5 + random.NextInt(30));
            var eager = new RgbImage(source.Width, source.Height, (float[])source.Pixels.Clone());
            var view = new AugmentedImage(source);
            for (int step = 0; step < 6; step++)
            {
                switch (random.NextInt(4))
                {
                    case 0:
                        int cw = view.Width + random.NextInt(20), ch = view.Height + random.NextInt(20);
                        int left = random.NextInt(cw - view.Width + 1), top = random.NextInt(ch - view.Height + 1);
                        float[] fill = random.Chance(0.5) ? [1, 2, 3] : [random.NextInt(256), 7, 9];
                        view.Expand(cw, ch, left, top, fill);
                        eager = EagerExpand(eager, cw, ch, left, top, fill);
                        break;
                    case 1:
                        int w = 1 + random.NextInt(view.Width), h = 1 + random.NextInt(view.Height);
                        int x = random.NextInt(view.Width - w + 1), y = random.NextInt(view.Height - h + 1);
                        view.Crop(x, y, w, h);
                        eager = EagerCrop(eager, x, y, w, h);
                        break;
                    case 2:
                        view.Mirror();
                        eager = EagerMirror(eager);
                        break;
                    default:
                        float delta = random.NextInt(50);
                        view.TransformColours(rgb => AddToAll(rgb, delta));
                        AddToAll(eager.Pixels, delta);
                        break;
                }
                var shown = view.ToRgbImage();
                Assert.Equal(eager.Width, shown.Width);
                Assert.Equal(eager.Height, shown.Height);
                Assert.Equal(eager.Pixels, shown.Pixels);
            }
        }
    }

    [Fact]
    public void Resizing_a_window_gives_the_same_input_as_resizing_its_copy()
    {
        var format = new NetworkInputFormat(40, ChannelOrder.Rgb, [123, 117, 104]);
        for (int seed = 0; seed < 50; seed++)
        {
            var random = new RandomSource((ulong)seed);
            var view = new AugmentedImage(RandomImage(random, 30 + random.NextInt(40), 30 + random.NextInt(40)));
            view.Expand(view.Width * 2, view.Height + 10, random.NextInt(view.Width), random.NextInt(10), [123, 117, 104]);
            view.Crop(random.NextInt(10), random.NextInt(10), view.Width - 10, view.Height - 10);
            if (random.Chance(0.5)) view.Mirror();

            var fromWindow = Preprocess.ToNetworkInput(view.ToRgbImage(), format);
            var direct = new float[format.Length];
            var pipeline = AugmentationPipeline.ForEvaluation(format);
            pipeline.Apply(new TrainingSample("x", view, [], []), random, direct);

            Assert.Equal(fromWindow, direct);
        }
    }

    [Fact]
    public void Window_that_leaves_the_image_reports_its_fill()
    {
        var view = new AugmentedImage(RgbImage.Filled(10, 10, 1, 1, 1));
        Assert.False(view.ShowsFill);
        view.Expand(20, 20, 5, 5, [9, 9, 9]);
        Assert.True(view.ShowsFill);
        view.Crop(5, 5, 10, 10);
        Assert.False(view.ShowsFill);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Crop(5, 5, 10, 10));
    }

    /// <summary>The copy's size was an int product, which wraps around for a window of more than 2³¹ values.</summary>
    [Fact]
    public void A_window_too_large_to_copy_is_refused_not_wrapped_around()
    {
        var view = new AugmentedImage(new RgbImage(1, 1, [0.1f, 0.2f, 0.3f]));
        view.Expand(50_000, 50_000, 7, 7, [1f, 2f, 3f]);
        var e = Assert.Throws<InvalidOperationException>(view.ToRgbImage);
        Assert.Equal("a 50000×50000 window holds 7500000000 values, more than one array can; expand less", e.Message);
    }
}
