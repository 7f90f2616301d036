using System.Text.Json.Serialization;

namespace SsdSharp.Configuration;

/// <summary>
/// How a configuration is trained unless the user says otherwise: run length, learning-rate schedule
/// and stabilisers. The paper's configurations carry the reference's recipe (SPEC §6); every field
/// left null takes the reference's value.
/// </summary>
public sealed record TrainingRecipe
{
    /// <summary>Optimiser steps of the whole run (reference: 120k for VOC, 400k for COCO).</summary>
    public long? Iterations { get; init; }

    /// <summary>Base learning rate (reference: 1e-3).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Iterations at which the rate is multiplied by 0.1 (reference: 80k, 100k for VOC).</summary>
    public IReadOnlyList<long>? LearningRateSteps { get; init; }

    /// <summary>Iterations of linear warm-up (reference: none).</summary>
    public long? WarmupIterations { get; init; }

    /// <summary>Clip of the global gradient norm (reference: none).</summary>
    [JsonPropertyName("clip")]
    public double? MaxGradientNorm { get; init; }

    /// <summary>Checkpoint period in iterations.</summary>
    public long? CheckpointEvery { get; init; }

    /// <summary>The reference's VOC recipe: 120k iterations, ×0.1 at 80k and 100k.</summary>
    public static TrainingRecipe ReferenceVoc { get; } = new() { Iterations = 120_000, LearningRateSteps = [80_000, 100_000] };

    /// <summary>The reference's COCO recipe: 400k iterations, ×0.1 at 280k and 360k.</summary>
    public static TrainingRecipe ReferenceCoco { get; } = new() { Iterations = 400_000, LearningRateSteps = [280_000, 360_000] };
}
