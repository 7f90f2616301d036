namespace SsdSharp.Training;

/// <summary>The state of a run after one iteration, as reported to an <see cref="IProgress{T}"/> and written to the log.</summary>
/// <param name="Iteration">Optimiser steps completed so far (1 after the first step).</param>
/// <param name="TotalIterations">Steps of the whole run.</param>
/// <param name="LocalizationLoss">This step's <c>loss_l</c>.</param>
/// <param name="ConfidenceLoss">This step's <c>loss_c</c>.</param>
/// <param name="LearningRate">The learning rate this step used.</param>
/// <param name="ImagesPerSecond">Throughput over the recent steps, data waits included.</param>
/// <param name="DataWaitShare">Share of this session's wall time spent waiting for batches (0–1).</param>
/// <param name="Remaining">Estimated time to the end of the run.</param>
/// <param name="StepSeconds">Wall time of this iteration: waiting for its batch plus the optimiser step.</param>
/// <param name="DataWaitSeconds">Part of <paramref name="StepSeconds"/> spent waiting for the batch.</param>
/// <param name="Evaluation">Metrics of the evaluation hook when it ran after this step (for example <c>map07</c>).</param>
/// <param name="CheckpointPath">The checkpoint written after this step, if any.</param>
public sealed record TrainingProgress(
    long Iteration,
    long TotalIterations,
    double LocalizationLoss,
    double ConfidenceLoss,
    double LearningRate,
    double ImagesPerSecond,
    double DataWaitShare,
    TimeSpan Remaining,
    double StepSeconds,
    double DataWaitSeconds,
    IReadOnlyDictionary<string, double>? Evaluation = null,
    string? CheckpointPath = null)
{
    /// <summary>The training loss <c>loss_l + loss_c</c>.</summary>
    public double Loss => LocalizationLoss + ConfidenceLoss;
}
