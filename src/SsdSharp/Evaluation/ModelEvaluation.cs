using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Inference;

namespace SsdSharp.Evaluation;

/// <summary>One image of an evaluation: its ground truth and what the model detected in it.</summary>
/// <param name="Truth">The annotated image.</param>
/// <param name="Detections">The detector's result for it.</param>
public sealed record EvaluatedImage(ImageAnnotation Truth, ImageDetections Detections);

/// <summary>
/// Evaluates a model on a dataset split: runs a detector over every image, maps the results to the
/// images' ids and scores them with the VOC and/or COCO protocol. Used by <c>ssd eval</c> and by the
/// trainer's periodic evaluation alike.
/// </summary>
public static class ModelEvaluation
{
    /// <summary>
    /// The post-processing a model of <paramref name="config"/> is evaluated with: its own test settings
    /// (<see cref="DetectionOptions.For"/>; SPEC §5's for the reference), every detection they keep per class
    /// and no global cap per image, since the protocols rank detections themselves.
    /// </summary>
    public static DetectionOptions DetectionOptionsFor(SsdConfig config) => DetectionOptions.For(config) with { MaxDetections = null };

    /// <summary>Detects objects in every image of <paramref name="images"/>, batched, in split order.</summary>
    /// <param name="detector">The model. Evaluation normally keeps every detection (no global cap), as the reference does.</param>
    /// <param name="images">The split's annotated images.</param>
    /// <param name="progress">Told the number of images done (detected or failed) after each batch (each image, tiled).</param>
    /// <param name="onError">
    /// Told of each image that cannot be read, which is then left out of the results, so that scoring them
    /// scores the readable part of the split. Without it the first such image stops the evaluation: the
    /// scores of the whole split would be wrong without it.
    /// </param>
    /// <param name="tiles">Detects each image tile by tile (<see cref="SsdDetector.DetectTiled"/>) instead of whole.</param>
    /// <param name="cancellationToken">Stops between batches (images, tiled).</param>
    /// <exception cref="Imaging.ImageDecodeException">An image of the split cannot be read, and there is no <paramref name="onError"/>.</exception>
    public static IReadOnlyList<EvaluatedImage> Detect(SsdDetector detector, IReadOnlyList<ImageAnnotation> images,
        IProgress<int>? progress = null, Action<Imaging.ImageDecodeException>? onError = null, TileOptions? tiles = null,
        CancellationToken cancellationToken = default)
    {
        var byPath = new Dictionary<string, ImageAnnotation>(StringComparer.Ordinal);
        foreach (var image in images) byPath[image.ImagePath] = image;
        var results = new List<EvaluatedImage>(images.Count);
        int failed = 0;
        void Report()
        {
            int done = results.Count + failed;
            // A tiled image takes as long as many batches.
            if (tiles is not null || done % detector.Options.BatchSize == 0 || done == images.Count) progress?.Report(done);
        }
        Action<Imaging.ImageDecodeException>? skip = onError is null ? null : e =>
        {
            failed++;
            onError(e);
            Report();
        };
        var paths = images.Select(i => i.ImagePath);
        var detected = tiles is null ? detector.DetectFiles(paths, skip, cancellationToken) : detector.DetectFilesTiled(paths, tiles, skip, cancellationToken);
        foreach (var result in detected)
        {
            results.Add(new EvaluatedImage(byPath[result.Image], result));
            Report();
        }
        return results;
    }

    /// <summary>Scores detections keyed by image id against the ground truth.</summary>
    /// <param name="truth">The annotated images (difficult and crowd objects kept: the protocols ignore them).</param>
    /// <param name="detections">Detections by <see cref="ImageAnnotation.Id"/>; an image without an entry has none.</param>
    /// <param name="classNames">The classes, id i + 1 being <c>classNames[i]</c>.</param>
    /// <param name="metric">The protocols to compute.</param>
    public static EvaluationReport Score(IReadOnlyList<ImageAnnotation> truth, IReadOnlyDictionary<string, IReadOnlyList<Detection>> detections,
        IReadOnlyList<string> classNames, EvaluationMetric metric)
    {
        var voc = metric is EvaluationMetric.Voc or EvaluationMetric.Both ? VocEvaluator.Evaluate(truth, detections, classNames) : null;
        var coco = metric is EvaluationMetric.Coco or EvaluationMetric.Both ? CocoEvaluator.Evaluate(truth, detections, classNames) : null;
        return new EvaluationReport(voc, coco);
    }

    /// <summary>Scores the results of <see cref="Detect"/>.</summary>
    public static EvaluationReport Score(IReadOnlyList<EvaluatedImage> results, IReadOnlyList<string> classNames, EvaluationMetric metric) =>
        Score(results.Select(r => r.Truth).ToList(), results.ToDictionary(r => r.Truth.Id, r => r.Detections.Detections), classNames, metric);
}
