using SsdSharp.Configuration;
using SsdSharp.Matching;
using SsdSharp.Training;
using static TorchSharp.torch;
using SsdSharp.Data.Loading;

namespace SsdSharp.Tests.Training;

/// <summary>
/// An in-memory batch source for tests: each image is a grey field with a few filled rectangles
/// whose colour depends on their class. Batch i depends only on (seed, i), as the trainer requires.
/// </summary>
internal sealed class SyntheticBatches(SsdConfig config, int batchSize, int seed, Func<long, bool>? poisoned = null) : IBatchSource
{
    public IEnumerable<TrainingBatch> Batches(long startIteration, CancellationToken cancellationToken)
    {
        for (long i = startIteration; ; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Make(i);
        }
    }

    private TrainingBatch Make(long iteration)
    {
        using var scope = NewDisposeScope();
        var random = new Random(HashCode.Combine(seed, iteration));
        int size = config.InputSize;
        var images = zeros(batchSize, 3, size, size);
        var targets = new List<ImageTargets>();
        var ids = new List<string>();
        for (int b = 0; b < batchSize; b++)
        {
            int objects = random.Next(1, 4);
            var boxes = new float[objects * 4];
            var labels = new int[objects];
            for (int o = 0; o < objects; o++)
            {
                int w = random.Next(size / 6, size / 2), h = random.Next(size / 6, size / 2);
                int x = random.Next(0, size - w), y = random.Next(0, size - h);
                int label = random.Next(1, config.NumClasses);
                double shade = -100 + 200.0 * label / config.NumClasses;
                images[b, TensorIndex.Slice(0, 1 + label % 3), TensorIndex.Slice(y, y + h), TensorIndex.Slice(x, x + w)] = tensor((float)shade);
                boxes[o * 4] = (float)x / size;
                boxes[o * 4 + 1] = (float)y / size;
                boxes[o * 4 + 2] = (float)(x + w) / size;
                boxes[o * 4 + 3] = (float)(y + h) / size;
                labels[o] = label;
            }
            targets.Add(new ImageTargets(tensor(boxes, [objects, 4]).MoveToOuterDisposeScope(), tensor(labels.Select(l => (long)l).ToArray()).MoveToOuterDisposeScope()));
            ids.Add($"synthetic-{iteration}-{b}");
        }
        if (poisoned?.Invoke(iteration) == true) images[0, 0, 0, 0] = tensor(float.NaN);
        return new TrainingBatch(images.MoveToOuterDisposeScope(), targets, ids);
    }
}

internal static class TinyConfig
{
    /// <summary>SSD300's sources and default boxes on a base of 4–16 channels: trains a step in tens of milliseconds.</summary>
    public static SsdConfig Create(IReadOnlyList<string>? classNames = null) => SsdPresets.Shapes300 with
    {
        Name = "tiny300",
        ClassNames = classNames ?? ["a", "b"],
        BaseLayers = "4 M 8 M 8 C 8 M 8".Split(' ').Select(BaseLayer.Parse).ToArray(),
        FcChannels = 16,
        Extras = [new(8, 1), new(8, 3, 2, 1), new(8, 1), new(8, 3, 2, 1), new(8, 1), new(8, 3), new(8, 1), new(8, 3)],
    };
}
