using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;
using SsdSharp.Data.Synthetic;
using SsdSharp.Preprocessing;

namespace SsdSharp.Tests.Data.Loading;

/// <summary>The loader on what <c>ssd synth</c> writes, read back through the VOC reader.</summary>
public class SyntheticDatasetLoadingTests
{
    [Fact]
    public void Synthetic_voc_set_loads_into_valid_augmented_batches()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ssd-loader-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summary = SyntheticDataset.Generate(directory, new SyntheticDatasetOptions { Images = 12, Seed = 3, MaxSide = 320 });
            var config = SsdPresets.Shapes300;
            var dataset = DatasetReader.Read($"VOC:{summary.Directory}", DatasetReadOptions.ForTraining(config.ClassNames));
            var loader = new TrainingLoader(dataset.Images, NetworkInputFormat.From(config) with { Size = 64 },
                new LoaderOptions { BatchSize = 4, Workers = 2, Seed = 1 });

            int objects = 0;
            foreach (var batch in loader.Batches(0, CancellationToken.None).Take(4))
            {
                using (batch)
                {
                    Assert.Equal([4L, 3, 64, 64], batch.Images.shape);
                    foreach (var target in batch.Targets)
                    {
                        var boxes = target.Boxes.data<float>().ToArray();
                        var labels = target.Labels.data<long>().ToArray();
                        objects += labels.Length;
                        Assert.All(labels, l => Assert.InRange(l, 1, config.ClassNames.Count));
                        for (int i = 0; i < labels.Length; i++)
                        {
                            Assert.True(boxes[4 * i] >= 0 && boxes[4 * i + 1] >= 0 && boxes[4 * i + 2] <= 1 && boxes[4 * i + 3] <= 1);
                            Assert.True(boxes[4 * i] < boxes[4 * i + 2] && boxes[4 * i + 1] < boxes[4 * i + 3]);
                        }
                    }
                }
            }
            Assert.True(objects > 0, "no object survived augmentation in 16 samples");
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
