using SsdSharp.Data;
using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;
using SsdSharp.Imaging;
using static TorchSharp.torch;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Data.Loading;

public class TrainingLoaderTests
{
    private static readonly NetworkInputFormat Format = new(32, ChannelOrder.Rgb, [123, 117, 104]);

    private sealed record BatchCopy(long Iteration, float[] Images, long[] Shape, float[][] Boxes, int[][] Labels, string[] Ids);

    private static List<BatchCopy> Run(LoaderTestImages set, LoaderOptions options, int batches, Action<string>? report = null, long start = 0)
    {
        var loader = new TrainingLoader(set.Annotations, Format, options, report);
        var copies = new List<BatchCopy>();
        long iteration = start;
        foreach (var batch in loader.Batches(start, CancellationToken.None).Take(batches))
        {
            using (batch)
            {
                Assert.Equal(ScalarType.Float32, batch.Images.dtype);
                Assert.All(batch.Targets, t => Assert.Equal(ScalarType.Int64, t.Labels.dtype));
                copies.Add(new BatchCopy(iteration++, batch.Images.data<float>().ToArray(), batch.Images.shape,
                    batch.Targets.Select(t => t.Boxes.data<float>().ToArray()).ToArray(),
                    batch.Targets.Select(t => t.Labels.data<long>().Select(l => (int)l).ToArray()).ToArray(),
                    batch.ImageIds.ToArray()));
            }
        }
        return copies;
    }

    private static void AssertSameBatches(IReadOnlyList<BatchCopy> expected, IReadOnlyList<BatchCopy> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Iteration, actual[i].Iteration);
            Assert.Equal(expected[i].Ids, actual[i].Ids);
            Assert.True(expected[i].Images.AsSpan().SequenceEqual(actual[i].Images), $"images of batch {expected[i].Iteration} differ");
            Assert.Equal(expected[i].Boxes, actual[i].Boxes);
            Assert.Equal(expected[i].Labels, actual[i].Labels);
        }
    }

    [Fact]
    public void Same_seed_gives_bit_identical_batches_whatever_the_number_of_workers()
    {
        using var set = new LoaderTestImages(7);
        var options = new LoaderOptions { BatchSize = 3, Seed = 5, Workers = 1 };

        var one = Run(set, options, 6);
        var two = Run(set, options with { Workers = 2 }, 6);
        var three = Run(set, options with { Workers = 3, Prefetch = 1 }, 6);

        AssertSameBatches(one, two);
        AssertSameBatches(one, three);
        Assert.False(one[0].Images.AsSpan().SequenceEqual(one[1].Images));
        var other = Run(set, options with { Seed = 6 }, 1);
        Assert.False(one[0].Images.AsSpan().SequenceEqual(other[0].Images));
    }

    [Fact]
    public void Resumed_loader_gives_the_batches_of_an_uninterrupted_run()
    {
        using var set = new LoaderTestImages(5);
        var options = new LoaderOptions { BatchSize = 2, Seed = 9, Workers = 2 };

        var full = Run(set, options, 7);
        var resumed = Run(set, options, 3, start: 4);

        AssertSameBatches(full.Skip(4).ToList(), resumed);
    }

    [Fact]
    public void Batches_hold_normalised_targets_and_an_input_tensor_of_the_documented_shape()
    {
        using var set = new LoaderTestImages(4);
        var batch = Run(set, new LoaderOptions { BatchSize = 4, Workers = 1, Augmentation = AugmentationOptions.None }, 1)[0];

        Assert.Equal([4L, 3, 32, 32], batch.Shape);
        Assert.Equal(4, batch.Labels.Length);
        foreach (var (boxes, labels, id) in batch.Boxes.Zip(batch.Labels, batch.Ids))
        {
            int index = int.Parse(id[3..]);
            // The loader trains on every object it is given: which ones (difficult, crowd) is the reader's choice.
            Assert.Equal(3, labels.Length);
            Assert.Equal(1 + index % 3, labels[0]);
            Assert.Equal([10f / 64, 8f / 48, 30f / 64, 24f / 48], boxes[..4]);
        }
    }

    [Fact]
    public void Kept_difficult_and_crowd_objects_become_ignored_regions_when_asked()
    {
        using var set = new LoaderTestImages(4);
        var options = new LoaderOptions { BatchSize = 4, Workers = 1, Augmentation = AugmentationOptions.None };
        var asObjects = Run(set, options, 1)[0];
        var ignoring = Run(set, options with { IgnoreDifficult = true }, 1)[0];

        Assert.True(asObjects.Images.AsSpan().SequenceEqual(ignoring.Images));
        Assert.Equal(asObjects.Boxes, ignoring.Boxes);
        foreach (var (labels, id) in ignoring.Labels.Zip(ignoring.Ids))
        {
            int index = int.Parse(id[3..]);
            // The second object is difficult in even images, the third crowd in every third: their class ids negated.
            Assert.Equal([1 + index % 3, index % 2 == 0 ? -2 : 2, index % 3 == 0 ? -3 : 3], labels);
        }
    }

    [Fact]
    public void A_held_batch_keeps_its_values_while_the_workers_go_on()
    {
        using var set = new LoaderTestImages(4);
        var loader = new TrainingLoader(set.Annotations, Format, new LoaderOptions { BatchSize = 2, Workers = 1, Prefetch = 1 });
        using var batches = loader.Batches(0, CancellationToken.None).GetEnumerator();
        Assert.True(batches.MoveNext());
        using var first = batches.Current;
        var snapshot = first.Images.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(batches.MoveNext());
            batches.Current.Dispose();
        }

        Assert.Equal(snapshot, first.Images.data<float>().ToArray());
    }

    [Fact]
    public void A_box_that_escaped_validation_is_refused_naming_the_image()
    {
        using var set = new LoaderTestImages(1);
        var image = set.Annotations[0];
        var outside = image with { Objects = [.. image.Objects, new ObjectAnnotation(1, "a", 50, 40, 70, 47)] };
        var loader = new TrainingLoader([outside], Format, new LoaderOptions { BatchSize = 1, Workers = 1 });
        using var batches = loader.Batches(0, CancellationToken.None).GetEnumerator();
        var e = Assert.Throws<SsdInputException>(() => batches.MoveNext());
        Assert.Contains(image.ImagePath, e.Message);
        Assert.Contains("64×48", e.Message);
    }

    [Fact]
    public void Every_epoch_is_a_fresh_permutation_and_the_stream_never_ends()
    {
        var sampler = new EpochSampler(10, seed: 3);
        var epochs = Enumerable.Range(0, 5).Select(e => Enumerable.Range(e * 10, 10).Select(p => sampler.At(p).ImageIndex).ToArray()).ToArray();

        Assert.All(epochs, order => Assert.Equal(Enumerable.Range(0, 10), order.Order()));
        Assert.True(epochs.Distinct(new SequenceComparer()).Count() >= 4);
        var far = sampler.At(1_000_000_007L);
        Assert.Equal(100_000_000L, far.Epoch);
        Assert.Equal(7, far.Slot);
        Assert.Equal(new EpochSampler(10, seed: 3).Order(4), sampler.Order(4));
    }

    [Fact]
    public void Corrupt_image_fails_with_the_file_named_by_default()
    {
        using var set = new LoaderTestImages(3);
        var path = set.Corrupt(1);
        var loader = new TrainingLoader(set.Annotations, Format, new LoaderOptions { BatchSize = 3, Workers = 2 });

        var error = Assert.Throws<ImageDecodeException>(() => loader.Batches(0, CancellationToken.None).First().Dispose());
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Corrupt_image_is_reported_once_and_replaced_deterministically_when_skipping()
    {
        using var set = new LoaderTestImages(6);
        var path = set.Corrupt(2);
        var options = new LoaderOptions { BatchSize = 4, Workers = 1, Seed = 1, CorruptImages = CorruptImagePolicy.Skip };
        var reports = new List<string>();

        var one = Run(set, options, 6, reports.Add);
        var two = Run(set, options with { Workers = 2 }, 6);

        Assert.Single(reports);
        Assert.Contains(path, reports[0]);
        Assert.All(one, b => Assert.DoesNotContain("img2", b.Ids));
        Assert.All(one, b => Assert.Equal(4, b.Ids.Length));
        AssertSameBatches(one, two);
    }

    [Fact]
    public void Cancelling_stops_the_wait_for_data()
    {
        using var set = new LoaderTestImages(2);
        var loader = new TrainingLoader(set.Annotations, Format, new LoaderOptions { BatchSize = 2, Workers = 1 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => loader.Batches(0, cancelled.Token).First());
    }

    [Fact]
    public void Empty_training_set_and_bad_options_are_refused()
    {
        Assert.Throws<SsdInputException>(() => new TrainingLoader([], Format));
        using var set = new LoaderTestImages(1);
        var error = Assert.Throws<SsdInputException>(() => new TrainingLoader(set.Annotations, Format, new LoaderOptions { Workers = 0 }));
        Assert.Contains("workers", error.Message);
    }

    private sealed class SequenceComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(int[] obj) => obj.Aggregate(17, (h, v) => h * 31 + v);
    }
}
