using System.Text.Json;
using System.Text.Json.Serialization;
using SsdSharp.Configuration;

namespace SsdSharp.Training;

/// <summary>
/// How to train: optimiser, learning-rate schedule, run length and bookkeeping. Immutable;
/// <see cref="Validate"/> names the first wrong field. <see cref="For"/> gives a configuration's
/// recipe (<see cref="SsdConfig.Recipe"/>: the reference's for the paper's configurations).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Number of optimiser steps (iterations) of the whole run.</summary>
    public long Iterations { get; init; } = 120_000;

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Base learning rate, reached at the end of the warm-up.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay applied by SGD to every parameter, as the reference does.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Iterations (0-based step numbers) from which the learning rate is multiplied by <see cref="Gamma"/> once more.</summary>
    public IReadOnlyList<long> LearningRateSteps { get; init; } = [80_000, 100_000];

    /// <summary>Factor applied at each of <see cref="LearningRateSteps"/>.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Iterations of linear warm-up (0: none, as in the reference).</summary>
    public long WarmupIterations { get; init; }

    /// <summary>Learning rate at step 0 of the warm-up, as a fraction of <see cref="LearningRate"/>.</summary>
    public double WarmupFactor { get; init; } = 1.0 / 3;

    /// <summary>When set, gradients are rescaled so that their global L2 norm is at most this value.</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>A checkpoint is written every this many iterations (and always at the end).</summary>
    public long CheckpointEvery { get; init; } = 5_000;

    /// <summary>How many checkpoints to keep in the output directory (the newest ones).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>The evaluation hook runs every this many iterations; 0 turns it off.</summary>
    public long EvaluateEvery { get; init; }

    /// <summary>Seed of the weight initialisation and of the data order and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>IoU from which a default box is matched to an object (SPEC §3).</summary>
    public double MatchThreshold { get; init; } = 0.5;

    /// <summary>Mined negatives per positive (SPEC §4).</summary>
    public int NegativesPerPositive { get; init; } = 3;

    /// <summary>
    /// Train with difficult (VOC) and crowd (COCO) objects as regions to ignore: the default boxes they would be
    /// matched to are neither positives nor mined negatives (<see cref="Data.Loading.LoaderOptions.IgnoreDifficult"/>).
    /// False, as the reference: they are dropped when the data is read, so what they show is background.
    /// </summary>
    public bool IgnoreDifficult { get; init; }

    /// <summary>
    /// The default options of a configuration: the reference's (SPEC §6) with the configuration's
    /// <see cref="SsdConfig.Recipe"/> applied (run length, schedule, warm-up, clipping, difficult objects), and its
    /// <see cref="TrainingRecipe.WithoutPretrainedBase"/> changes on top when the base starts from scratch.
    /// </summary>
    /// <param name="config">The configuration to train.</param>
    /// <param name="pretrainedBase">Whether the base is loaded from pretrained weights (<c>--base</c>).</param>
    public static TrainingOptions For(SsdConfig config, bool pretrainedBase = false)
    {
        var options = Apply(new TrainingOptions(), config.Recipe);
        return pretrainedBase ? options : Apply(options, config.Recipe?.WithoutPretrainedBase);
    }

    private static TrainingOptions Apply(TrainingOptions options, TrainingRecipe? recipe) => recipe is null ? options : options with
    {
        Iterations = recipe.Iterations ?? options.Iterations,
        LearningRate = recipe.LearningRate ?? options.LearningRate,
        LearningRateSteps = recipe.LearningRateSteps ?? options.LearningRateSteps,
        WarmupIterations = recipe.WarmupIterations ?? options.WarmupIterations,
        MaxGradientNorm = recipe.MaxGradientNorm ?? options.MaxGradientNorm,
        CheckpointEvery = recipe.CheckpointEvery ?? options.CheckpointEvery,
        IgnoreDifficult = recipe.IgnoreDifficult ?? options.IgnoreDifficult,
    };

    /// <summary>
    /// The recipe that repeats this run's length, schedule, warm-up, clipping and treatment of difficult objects: what a trained model records as its
    /// configuration's <see cref="SsdConfig.Recipe"/>, so that the model says how it was made, options given on the
    /// command line included.
    /// </summary>
    public TrainingRecipe AsRecipe() => new()
    {
        Iterations = Iterations,
        LearningRate = LearningRate,
        LearningRateSteps = LearningRateSteps,
        WarmupIterations = WarmupIterations,
        MaxGradientNorm = MaxGradientNorm,
        CheckpointEvery = CheckpointEvery,
        // Null when dropped (the reference's default), so that a model trained so reads in versions without the field.
        IgnoreDifficult = IgnoreDifficult ? true : null,
    };

    /// <summary>The learning rate of the step with 0-based number <paramref name="iteration"/>.</summary>
    public double LearningRateAt(long iteration)
    {
        double factor = Math.Pow(Gamma, LearningRateSteps.Count(s => iteration >= s));
        if (iteration < WarmupIterations)
        {
            double progress = (double)iteration / WarmupIterations;
            factor *= WarmupFactor + (1 - WarmupFactor) * progress;
        }
        return LearningRate * factor;
    }

    /// <summary>Checks every field.</summary>
    /// <exception cref="SsdInputException">Naming the first field that is wrong.</exception>
    public TrainingOptions Validate()
    {
        Require(Iterations > 0, nameof(Iterations), $"must be positive, got {Iterations}");
        Require(BatchSize > 0, nameof(BatchSize), $"must be positive, got {BatchSize}");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), $"must be a positive number, got {LearningRate}");
        Require(Momentum is >= 0 and < 1, nameof(Momentum), $"must be in [0, 1), got {Momentum}");
        Require(WeightDecay >= 0, nameof(WeightDecay), $"must not be negative, got {WeightDecay}");
        Require(LearningRateSteps.All(s => s > 0), nameof(LearningRateSteps), "must be positive iteration numbers");
        Require(LearningRateSteps.Zip(LearningRateSteps.Skip(1)).All(p => p.First < p.Second), nameof(LearningRateSteps), "must be increasing");
        Require(Gamma is > 0 and <= 1, nameof(Gamma), $"must be in (0, 1], got {Gamma}");
        Require(WarmupIterations >= 0, nameof(WarmupIterations), $"must not be negative, got {WarmupIterations}");
        Require(WarmupFactor is > 0 and <= 1, nameof(WarmupFactor), $"must be in (0, 1], got {WarmupFactor}");
        Require(MaxGradientNorm is null or > 0, nameof(MaxGradientNorm), $"must be positive when set, got {MaxGradientNorm}");
        Require(CheckpointEvery > 0, nameof(CheckpointEvery), $"must be positive, got {CheckpointEvery}");
        Require(KeepCheckpoints > 0, nameof(KeepCheckpoints), $"must be positive, got {KeepCheckpoints}");
        Require(EvaluateEvery >= 0, nameof(EvaluateEvery), $"must not be negative, got {EvaluateEvery}");
        Require(MatchThreshold is > 0 and <= 1, nameof(MatchThreshold), $"must be in (0, 1], got {MatchThreshold}");
        Require(NegativesPerPositive > 0, nameof(NegativesPerPositive), $"must be positive, got {NegativesPerPositive}");
        return this;
    }

    private static void Require(bool condition, string field, string reason)
    {
        if (!condition) throw new SsdInputException($"training option {field}: {reason}");
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The options as JSON (snake_case keys), as stored in checkpoints.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates options written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    public static TrainingOptions FromJson(string json, string source)
    {
        try
        {
            return (JsonSerializer.Deserialize<TrainingOptions>(json, JsonOptions) ?? throw new SsdInputException($"{source}: training options are empty")).Validate();
        }
        catch (JsonException e)
        {
            throw new SsdInputException($"{source}: invalid training options ({e.Message})");
        }
    }
}
