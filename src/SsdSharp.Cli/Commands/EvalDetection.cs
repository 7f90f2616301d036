using System.Diagnostics;
using SsdSharp.Data;
using SsdSharp.Inference;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary>The model path of <c>ssd eval</c>: detection over every image of the split, batched, with a progress bar.</summary>
internal static class EvalDetection
{
    /// <summary>Detects objects in every image of <paramref name="truth"/>; results with their image id, in split order.</summary>
    /// <exception cref="Imaging.ImageDecodeException">An image of the split cannot be read: the evaluation would be wrong without it.</exception>
    public static IReadOnlyList<(string Id, ImageDetections Detections)> Run(SsdDetector detector, AnnotatedDataset truth)
    {
        var idByPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in truth.Images) idByPath[image.ImagePath] = image.Id;
        var results = new List<(string Id, ImageDetections Detections)>(truth.Images.Count);
        var total = truth.Images.Count;
        Terminal.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"detecting in {total} images", maxValue: total);
                var clock = Stopwatch.StartNew();
                foreach (var result in detector.DetectFiles(truth.Images.Select(image => image.ImagePath)))
                {
                    results.Add((idByPath[result.Image], result));
                    task.Increment(1);
                    task.Description = $"detecting: {results.Count}/{total} images, {results.Count / clock.Elapsed.TotalSeconds:F1} images/s";
                }
            });
        return results;
    }
}
