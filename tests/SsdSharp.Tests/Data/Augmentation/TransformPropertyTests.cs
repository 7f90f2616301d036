using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SsdSharp.Inference;
using SsdSharp.Boxes;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Data.Augmentation;

/// <summary>
/// Invariants of the geometric steps over many random samples. Each test image encodes its own
/// coordinates (R = x, G = y) and, in B, the label of the box covering the pixel (boxes do not
/// overlap; −1 elsewhere), so that the pixels under a box reveal where they came from.
/// </summary>
public class TransformPropertyTests
{
    private const int Samples = 300;
    private static readonly float[] Fill = [-5, -5, -1];

    private static TrainingSample RandomSample(RandomSource random, int maxBoxes = 5, bool large = false)
    {
        int width = 8 + random.NextInt(120), height = 8 + random.NextInt(120);
        var boxes = new List<PixelBox>();
        for (int attempt = 0; attempt < 8 && boxes.Count < maxBoxes; attempt++)
        {
            // Large boxes (a third of the side or more) are the ones a high IoU bound can be met for.
            int w = large ? width / 3 + random.NextInt(width - width / 3) : 1 + random.NextInt(width / 2);
            int h = large ? height / 3 + random.NextInt(height - height / 3) : 1 + random.NextInt(height / 2);
            int x = random.NextInt(width - w + 1), y = random.NextInt(height - h + 1);
            var box = new PixelBox(x, y, x + w, y + h);
            if (boxes.All(b => PixelBox.Iou(b, box) == 0 && !Touch(b, box))) boxes.Add(box);
        }
        var labels = Enumerable.Range(1, boxes.Count).ToArray();
        var pixels = new float[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                pixels[i] = x;
                pixels[i + 1] = y;
                int owner = boxes.FindIndex(b => x >= b.X1 && x < b.X2 && y >= b.Y1 && y < b.Y2);
                pixels[i + 2] = owner < 0 ? -1 : labels[owner];
            }
        }
        return new TrainingSample("s", new AugmentedImage(new RgbImage(width, height, pixels)), boxes.ToArray(), labels);
    }

    private static bool Touch(PixelBox a, PixelBox b) =>
        a.X1 < b.X2 && b.X1 < a.X2 && a.Y1 < b.Y2 && b.Y1 < a.Y2;

    private static void AssertBoxesValid(TrainingSample sample)
    {
        Assert.Equal(sample.Boxes.Length, sample.Labels.Length);
        foreach (var b in sample.Boxes)
        {
            Assert.True(b.X1 >= 0 && b.Y1 >= 0 && b.X2 <= sample.Image.Width && b.Y2 <= sample.Image.Height,
                $"{b} outside {sample.Image.Width}×{sample.Image.Height}");
            Assert.True(b.X1 < b.X2 && b.Y1 < b.Y2, $"{b} is empty");
        }
    }

    // Every pixel under box i must come from the original box of the same label.
    private static void AssertLabelsFollowPixels(TrainingSample sample)
    {
        Span<float> rgb = stackalloc float[3];
        for (int i = 0; i < sample.Boxes.Length; i++)
        {
            var b = sample.Boxes[i];
            for (int y = (int)b.Y1; y < (int)b.Y2; y++)
            {
                for (int x = (int)b.X1; x < (int)b.X2; x++)
                {
                    sample.Image.GetPixel(x, y, rgb);
                    Assert.Equal(sample.Labels[i], rgb[2]);
                }
            }
        }
    }

    private static ISampleTransform[] GeometricSteps =>
        [new Expand(Probability: 1, Fill: Fill), new RandomIouCrop(), new HorizontalMirror(Probability: 1)];

    [Fact]
    public void Boxes_stay_valid_inside_the_image_and_labels_follow_their_pixels_after_every_step()
    {
        for (int seed = 0; seed < Samples; seed++)
        {
            var random = RandomSource.ForSample(42, 0, seed);
            var sample = RandomSample(random);
            foreach (var step in GeometricSteps)
            {
                step.Apply(sample, random);
                AssertBoxesValid(sample);
                AssertLabelsFollowPixels(sample);
            }
        }
    }

    [Fact]
    public void Expand_keeps_every_box_on_the_same_pixels()
    {
        Span<float> before = stackalloc float[3], after = stackalloc float[3];
        for (int seed = 0; seed < Samples; seed++)
        {
            var random = RandomSource.ForSample(7, 1, seed);
            var sample = RandomSample(random);
            var original = sample.Image.ToRgbImage();
            var originalBoxes = sample.Boxes;
            new Expand(Probability: 1, Fill: Fill).Apply(sample, random);

            Assert.True(sample.Image.Width >= original.Width && sample.Image.Height >= original.Height);
            for (int i = 0; i < originalBoxes.Length; i++)
            {
                var (o, e) = (originalBoxes[i], sample.Boxes[i]);
                Assert.Equal(o.Width, e.Width);
                Assert.Equal(o.Height, e.Height);
                for (int dy = 0; dy < (int)o.Height; dy++)
                {
                    for (int dx = 0; dx < (int)o.Width; dx++)
                    {
                        new AugmentedImage(original).GetPixel((int)o.X1 + dx, (int)o.Y1 + dy, before);
                        sample.Image.GetPixel((int)e.X1 + dx, (int)e.Y1 + dy, after);
                        Assert.True(before.SequenceEqual(after));
                    }
                }
            }
        }
    }

    [Fact]
    public void Mirroring_twice_is_the_identity()
    {
        for (int seed = 0; seed < Samples; seed++)
        {
            var sample = RandomSample(RandomSource.ForSample(3, 0, seed));
            var pixels = sample.Image.ToRgbImage().Pixels;
            var boxes = sample.Boxes;

            HorizontalMirror.Flip(sample);
            Assert.True(boxes.Length == 0 || !boxes.SequenceEqual(sample.Boxes) || boxes.All(b => b.X1 + b.X2 == sample.Image.Width));
            HorizontalMirror.Flip(sample);

            Assert.Equal(boxes, sample.Boxes);
            Assert.Equal(pixels, sample.Image.ToRgbImage().Pixels);
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.7)]
    [InlineData(0.9)]
    public void Crop_honours_its_iou_bound_for_every_ground_truth(double minIou)
    {
        // With "keep" as the only other mode, a sample whose objects cannot all reach the bound stays whole.
        var crop = new RandomIouCrop { Modes = [null, minIou] };
        Span<float> corner = stackalloc float[3];
        int cropped = 0;
        for (int seed = 0; seed < Samples; seed++)
        {
            var random = RandomSource.ForSample(11, 0, seed);
            var sample = RandomSample(random, maxBoxes: 1 + seed % 2, large: true);
            var originalBoxes = sample.Boxes;
            int width = sample.Image.Width, height = sample.Image.Height;
            crop.Apply(sample, random);
            if (sample.Image.Width == width && sample.Image.Height == height) continue;
            cropped++;

            // The patch's origin is the original coordinate of its top-left pixel.
            sample.Image.GetPixel(0, 0, corner);
            var patch = new PixelBox(corner[0], corner[1], corner[0] + sample.Image.Width, corner[1] + sample.Image.Height);
            Assert.All(originalBoxes, b => Assert.True(PixelBox.Iou(b, patch) >= minIou, $"IoU {PixelBox.Iou(b, patch)} < {minIou}"));
            AssertBoxesValid(sample);
            AssertLabelsFollowPixels(sample);
        }
        Assert.True(cropped >= 5, $"only {cropped} of {Samples} samples were cropped");
    }

    [Fact]
    public void Crop_keeps_exactly_the_boxes_whose_centres_lie_inside_the_patch()
    {
        var crop = new RandomIouCrop { Modes = [double.NegativeInfinity] };
        Span<float> corner = stackalloc float[3];
        for (int seed = 0; seed < Samples; seed++)
        {
            var random = RandomSource.ForSample(5, 0, seed);
            var sample = RandomSample(random);
            var (boxes, labels) = (sample.Boxes, sample.Labels);
            crop.Apply(sample, random);
            sample.Image.GetPixel(0, 0, corner);
            float left = corner[0], top = corner[1];

            var expected = labels.Where((_, i) =>
            {
                float cx = (boxes[i].X1 + boxes[i].X2) / 2, cy = (boxes[i].Y1 + boxes[i].Y2) / 2;
                return cx > left && cy > top && cx < left + sample.Image.Width && cy < top + sample.Image.Height;
            });
            Assert.Equal(expected, sample.Labels);
        }
    }

    [Fact]
    public void Crop_decides_by_the_objects_and_ignored_regions_follow_by_their_centres()
    {
        var crop = new RandomIouCrop();
        Span<float> corner = stackalloc float[3];
        int regionsCropped = 0;
        for (int seed = 0; seed < Samples; seed++)
        {
            // The same sample twice: with every other box an ignored region (negative label), and without those boxes.
            var withRegions = RandomSample(RandomSource.ForSample(17, 0, seed));
            var objectsOnly = RandomSample(RandomSource.ForSample(17, 0, seed));
            var (boxes, labels) = (withRegions.Boxes, withRegions.Labels.Select((l, i) => i % 2 == 1 ? -l : l).ToArray());
            withRegions.SetObjects(boxes, labels);
            objectsOnly.SetObjects(boxes.Where((_, i) => labels[i] > 0).ToArray(), labels.Where(l => l > 0).ToArray());

            crop.Apply(withRegions, RandomSource.ForSample(3, 0, seed));
            crop.Apply(objectsOnly, RandomSource.ForSample(3, 0, seed));

            // The same patch and the same objects: the regions changed nothing about the crop.
            Assert.Equal((objectsOnly.Image.Width, objectsOnly.Image.Height), (withRegions.Image.Width, withRegions.Image.Height));
            Assert.Equal(objectsOnly.Labels, withRegions.Labels.Where(l => l > 0));
            Assert.Equal(objectsOnly.Boxes, withRegions.Boxes.Where((_, i) => withRegions.Labels[i] > 0));
            // The regions whose centre lies in the patch are kept and clipped to it, as objects are.
            withRegions.Image.GetPixel(0, 0, corner);
            float left = corner[0], top = corner[1];
            var expected = labels.Where((l, i) =>
            {
                float cx = (boxes[i].X1 + boxes[i].X2) / 2, cy = (boxes[i].Y1 + boxes[i].Y2) / 2;
                return l < 0 && cx > left && cy > top && cx < left + withRegions.Image.Width && cy < top + withRegions.Image.Height;
            }).ToArray();
            Assert.Equal(expected, withRegions.Labels.Where(l => l < 0));
            AssertBoxesValid(withRegions);
            if (expected.Length > 0 && (left > 0 || top > 0)) regionsCropped++;
        }
        Assert.True(regionsCropped >= 10, $"only {regionsCropped} of {Samples} samples cropped with an ignored region in the patch");
    }

    [Fact]
    public void The_same_random_state_gives_the_same_augmented_input()
    {
        var format = new NetworkInputFormat(64, ChannelOrder.Rgb, [123, 117, 104]);
        var pipeline = AugmentationPipeline.ForTraining(format);
        float[] Run(long index, out SampleTargets targets)
        {
            var output = new float[format.Length];
            var random = RandomSource.ForSample(1, 2, index);
            targets = pipeline.Apply(RandomSample(new RandomSource(99)), random, output);
            return output;
        }

        var first = Run(0, out var targetsA);
        var again = Run(0, out var targetsB);
        var other = Run(1, out _);

        Assert.Equal(first, again);
        Assert.Equal(targetsA.Boxes, targetsB.Boxes);
        Assert.Equal(targetsA.Labels, targetsB.Labels);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Full_pipeline_gives_normalised_valid_boxes()
    {
        var format = new NetworkInputFormat(48, ChannelOrder.Rgb, [123, 117, 104]);
        var pipeline = AugmentationPipeline.ForTraining(format);
        var output = new float[format.Length];
        for (int seed = 0; seed < Samples; seed++)
        {
            var random = RandomSource.ForSample(8, 0, seed);
            var targets = pipeline.Apply(RandomSample(random), random, output);
            Assert.Equal(targets.Count * 4, targets.Boxes.Length);
            for (int i = 0; i < targets.Count; i++)
            {
                var b = targets.Boxes.AsSpan(4 * i, 4);
                Assert.True(b[0] >= 0 && b[1] >= 0 && b[2] <= 1 && b[3] <= 1 && b[0] < b[2] && b[1] < b[3], $"box {i}: {string.Join(", ", b.ToArray())}");
                Assert.InRange(targets.Labels[i], 1, 5);
            }
            Assert.All(output, v => Assert.True(float.IsFinite(v)));
        }
    }
}
