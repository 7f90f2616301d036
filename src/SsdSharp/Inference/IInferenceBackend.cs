using SsdSharp.Configuration;

namespace SsdSharp.Inference;

/// <summary>
/// The network part of detection: a batch of preprocessed images in (SPEC §1), decoded boxes and
/// class probabilities out. Pre- and post-processing are the detector's and the same for every backend.
/// </summary>
public interface IInferenceBackend : IDisposable
{
    /// <summary>The configuration of the network.</summary>
    SsdConfig Config { get; }

    /// <summary>What runs, for reports: engine, precision, layout, device.</summary>
    string Description { get; }

    /// <summary>Runs the network.</summary>
    /// <param name="input"><c>[N, 3, S, S]</c> float32, preprocessed as SPEC §1 (<see cref="Preprocessing.Preprocess"/>).</param>
    /// <param name="count">N.</param>
    NetworkPredictions Run(float[] input, int count);
}
