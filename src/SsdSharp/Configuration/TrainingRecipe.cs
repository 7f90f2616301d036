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

    /// <summary>Whether difficult and crowd objects are regions that training ignores (reference: no, they are dropped).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IgnoreDifficult { get; init; }

    /// <summary>
    /// What changes when the base does not start from pretrained weights (no <c>--base</c>): fields set here
    /// replace this recipe's. Null: the same recipe either way.
    /// </summary>
    public TrainingRecipe? WithoutPretrainedBase { get; init; }

    /// <summary>
    /// Checks the fields that are set, so that a wrong value is named in its configuration file when the file is read
    /// rather than as a training option when a run starts.
    /// </summary>
    /// <param name="field">The recipe's own name in messages (<c>Recipe</c>, <c>Recipe.WithoutPretrainedBase</c>).</param>
    /// <exception cref="SsdConfigException">Naming the first field that is wrong.</exception>
    public void Validate(string field)
    {
        if (Iterations is <= 0) throw new SsdConfigException($"{field}.{nameof(Iterations)}", $"must be positive, got {Iterations}");
        if (LearningRate is { } rate && !(rate > 0 && double.IsFinite(rate)))
            throw new SsdConfigException($"{field}.{nameof(LearningRate)}", $"must be a positive number, got {rate}");
        if (LearningRateSteps is { } steps && (steps.Any(s => s <= 0) || steps.Zip(steps.Skip(1)).Any(p => p.First >= p.Second)))
            throw new SsdConfigException($"{field}.{nameof(LearningRateSteps)}", $"must be increasing positive iteration numbers, got [{string.Join(", ", steps)}]");
        if (WarmupIterations is < 0) throw new SsdConfigException($"{field}.{nameof(WarmupIterations)}", $"must not be negative, got {WarmupIterations}");
        if (MaxGradientNorm is { } clip && !(clip > 0 && double.IsFinite(clip)))
            throw new SsdConfigException($"{field}.{nameof(MaxGradientNorm)}", $"must be a positive number, got {clip}");
        if (CheckpointEvery is <= 0) throw new SsdConfigException($"{field}.{nameof(CheckpointEvery)}", $"must be positive, got {CheckpointEvery}");
        WithoutPretrainedBase?.Validate($"{field}.{nameof(WithoutPretrainedBase)}");
    }

    /// <summary>
    /// From scratch, the VGG16 base without batch norm makes the reference's recipe unstable: on an H200 at batch 32,
    /// lr 1e-3 without clipping diverged to NaN at iteration 5 in one run and rose from loss 13.7 to 16.8 over 200
    /// iterations in another; clipping the gradient norm to 10 kept it finite and falling (12.2 → 7.5; docs/gpu.md).
    /// </summary>
    private static TrainingRecipe ClippedFromScratch { get; } = new() { MaxGradientNorm = 10 };

    /// <summary>The reference's VOC recipe: 120k iterations, ×0.1 at 80k and 100k; gradients clipped at 10 from scratch.</summary>
    public static TrainingRecipe ReferenceVoc { get; } = new()
    {
        Iterations = 120_000, LearningRateSteps = [80_000, 100_000], WithoutPretrainedBase = ClippedFromScratch,
    };

    /// <summary>The reference's COCO recipe: 400k iterations, ×0.1 at 280k and 360k; gradients clipped at 10 from scratch.</summary>
    public static TrainingRecipe ReferenceCoco { get; } = new()
    {
        Iterations = 400_000, LearningRateSteps = [280_000, 360_000], WithoutPretrainedBase = ClippedFromScratch,
    };
}
