namespace SsdSharp.Training;

/// <summary>How a call to <see cref="Trainer.Run"/> ended.</summary>
public enum TrainingOutcome
{
    /// <summary>All iterations are done; the final checkpoint and model file are written.</summary>
    Completed,

    /// <summary>Stopped by the cancellation token (Ctrl-C); a checkpoint of the last completed iteration is written.</summary>
    Cancelled,
}

/// <summary>The result of <see cref="Trainer.Run"/>.</summary>
/// <param name="Outcome">Whether the run completed or was cancelled.</param>
/// <param name="Iteration">Steps completed.</param>
/// <param name="CheckpointPath">The newest checkpoint (resume with <see cref="Trainer.Resume"/> on its directory).</param>
/// <param name="ModelPath">The trained model (<see cref="Weights.ModelFile"/> format) when completed, otherwise null.</param>
/// <param name="LogPath">The JSON-lines log.</param>
/// <param name="LossCurvePath">The loss chart.</param>
/// <param name="ImagesPerSecond">Mean throughput of this session, data waits included.</param>
/// <param name="DataWaitShare">Share of this session's wall time spent waiting for batches (0–1).</param>
public sealed record TrainingResult(
    TrainingOutcome Outcome,
    long Iteration,
    string CheckpointPath,
    string? ModelPath,
    string LogPath,
    string LossCurvePath,
    double ImagesPerSecond,
    double DataWaitShare);
