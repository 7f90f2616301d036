using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Modeling;
using SsdSharp.Weights;

namespace SsdSharp.Training;

/// <summary>An evaluation hook for <see cref="Trainer.Evaluator"/>: VOC mAP of the network on a held-out set.</summary>
public static class VocEvaluationHook
{
    /// <summary>
    /// A hook that detects objects in <paramref name="images"/> with a copy of the network being trained
    /// and returns its VOC mAP: <c>map07</c> (11-point, VOC2007) and <c>map_area</c> (VOC2010+), NaN when
    /// no class has ground truth.
    /// </summary>
    /// <param name="images">Evaluation images with their ground truth (difficult objects kept; the evaluator ignores them).</param>
    /// <param name="options">How to detect; <see cref="ModelEvaluation.DetectionOptionsFor"/> the network's configuration, on the default device (<see cref="DetectorOptions.Device"/>), when null.</param>
    public static Func<SsdNetwork, CancellationToken, IReadOnlyDictionary<string, double>> Create(IReadOnlyList<ImageAnnotation> images, DetectorOptions? options = null)
    {
        return (network, cancellationToken) =>
        {
            var detectorOptions = options ?? new DetectorOptions { Detection = ModelEvaluation.DetectionOptionsFor(network.Config) };
            // The backend owns (and may convert) its network, so it gets a copy of the weights.
            var copy = StateDictLoader.NetworkOf(network.Config, network.state_dict(), "the network being trained");
            using var detector = new SsdDetector(new LibTorchBackend(copy, detectorOptions), detectorOptions);
            var results = ModelEvaluation.Detect(detector, images, cancellationToken: cancellationToken);
            var voc = ModelEvaluation.Score(results, network.Config.ClassNames, EvaluationMetric.Voc).Voc!;
            return new Dictionary<string, double>
            {
                ["map07"] = voc.Map07 ?? double.NaN,
                ["map_area"] = voc.MapArea ?? double.NaN,
            };
        };
    }
}
