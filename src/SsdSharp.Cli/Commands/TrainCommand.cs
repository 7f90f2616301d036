using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Data.Augmentation;
using SsdSharp.Data.Loading;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Training;
using SsdSharp.Weights;
using Spectre.Console;
using SsdSharp.Preprocessing;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd train</c>: trains a model, resumably, with a progress display.</summary>
internal static class TrainCommand
{
    private const int PlainReportEvery = 10;

    private const string Drop = "drop", Ignore = "ignore";

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"Preset ({string.Join(", ", SsdPresets.Names)}) or JSON config; with --resume it must be the run's (with --init: default the model's)." };
        var data = new Option<string>("--data") { Description = "Training set: VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR].", Required = true };
        var split = new Option<string>("--split") { Description = "VOC image set to train on.", DefaultValueFactory = _ => "trainval" };
        var output = new Option<string?>("--out") { Description = "Output directory for checkpoints, log, loss curve and model: a new or empty folder, or one ssd made." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run whose output directory this is (alone: the --out directory).", Arity = ArgumentArity.ZeroOrOne };
        var iterations = NumericOption.Optional("--iterations", "Optimiser steps of the whole run (default: the config's recipe).", new NumberRange<long>(1));
        var batch = NumericOption.Optional("--batch", "Images per batch (default 32).", NumericOption.BatchRange);
        var lr = NumericOption.Optional("--lr", "Base learning rate.", new NumberRange<double>(0, MinOpen: true));
        var lrSteps = new Option<string?>("--lr-steps") { Description = "Comma-separated iterations at which the rate is multiplied by --gamma ('' for none: a constant rate)." };
        var gamma = NumericOption.Optional("--gamma", "Learning-rate decay factor (0.1), in (0, 1].", new NumberRange<double>(0, 1, MinOpen: true));
        var warmup = NumericOption.Optional("--warmup", "Iterations of linear warm-up from a third of the rate.", new NumberRange<long>(0));
        var clip = NumericOption.Optional("--clip", "Clip the global gradient norm to this value (0: off).", new NumberRange<double>(0));
        var difficult = new Option<string?>("--difficult")
        {
            Description = "Difficult (VOC) and crowd (COCO) objects: drop (the reference: what they show is background) or ignore (the default boxes " +
                          "they would be matched to are neither objects nor mined as background). Default: the config's recipe, else drop.",
        };
        difficult.AcceptOnlyFromAmong(Drop, Ignore);
        var workers = NumericOption.Create("--workers", "Data-loading threads (1 to 64).", NumericOption.WorkersRange, 2);
        var device = DeviceOption.Create();
        var vggBase = new Option<string?>("--base") { Description = "ImageNet VGG16 base (vgg16_reducedfc.pth) of a new run; a resumed run has its weights." };
        var init = WeightsOption.Create("--init",
            "Fine-tune: start from this model (SsdSharp model, torchvision or ssd.pytorch .pth); what fits is loaded, the rest " +
            "(the class heads, for other classes) re-initialised. Without --config: the model's configuration with the data's classes. Not with --resume or --base.");
        var seed = NumericOption.Optional("--seed", "Seed of initialisation, data order and augmentation (0).", new NumberRange<int>(0));
        var checkpointEvery = NumericOption.Optional("--checkpoint-every", "Checkpoint period in iterations.", new NumberRange<long>(1));
        var keepCheckpoints = NumericOption.Optional("--keep-checkpoints", "How many of the newest checkpoints to keep (2); more keep the run's path for `ssd average`.", new NumberRange<int>(1));
        var evalEvery = NumericOption.Optional("--eval-every", "Evaluate VOC mAP on --eval-data every this many iterations (0: never).", new NumberRange<long>(0));
        var evalData = new Option<string?>("--eval-data") { Description = "Evaluation set for --eval-every (same forms as --data)." };
        var evalSplit = new Option<string>("--eval-split") { Description = "VOC image set of --eval-data.", DefaultValueFactory = _ => "test" };
        var maxMegapixels = ImageLimitOption.Create();
        var force = ForceOption.Create();
        var command = new Command("train", "Train an SSD model (resumable; Ctrl-C saves a checkpoint).")
        {
            config, data, split, output, resume, iterations, batch, lr, lrSteps, gamma, warmup, clip, difficult, workers, device, vggBase, init, seed,
            checkpointEvery, keepCheckpoints, evalEvery, evalData, evalSplit, maxMegapixels, force,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            ImageLimitOption.Apply(parse, maxMegapixels);
            TrainingOptions Adjust(TrainingOptions o) => o with
            {
                Iterations = parse.GetValue(iterations) ?? o.Iterations,
                BatchSize = parse.GetValue(batch) ?? o.BatchSize,
                LearningRate = parse.GetValue(lr) ?? o.LearningRate,
                LearningRateSteps = parse.GetValue(lrSteps) is { } steps ? ParseSteps(steps) : o.LearningRateSteps,
                Gamma = parse.GetValue(gamma) ?? o.Gamma,
                WarmupIterations = parse.GetValue(warmup) ?? o.WarmupIterations,
                MaxGradientNorm = parse.GetValue(clip) is { } c ? (c > 0 ? c : null) : o.MaxGradientNorm,
                Seed = parse.GetValue(seed) ?? o.Seed,
                CheckpointEvery = parse.GetValue(checkpointEvery) ?? o.CheckpointEvery,
                KeepCheckpoints = parse.GetValue(keepCheckpoints) ?? o.KeepCheckpoints,
                EvaluateEvery = parse.GetValue(evalEvery) ?? o.EvaluateEvery,
                IgnoreDifficult = parse.GetValue(difficult) is { } d ? d == Ignore : o.IgnoreDifficult,
            };

            var spec = DatasetArgument.Parse(parse.GetValue(data)!);
            var evalSpec = parse.GetValue(evalData) is { } evalText ? DatasetArgument.Parse(evalText) : null;
            // Here when given, before the model and the training set; a resumed run's own --eval-every is checked below.
            if (parse.GetValue(evalEvery) > 0 && evalSpec is null) throw EvalDataMissing();
            var computeDevice = DeviceOption.Parse(parse, device);
            // --resume alone continues the run of --out: the same command line with --resume appended.
            using var trainer = parse.GetResult(resume) is not null
                ? Resume(parse.GetValue(resume) ?? parse.GetValue(output) ?? throw new SsdInputException("--resume without a directory continues the run of --out DIR; give one of them"),
                    parse.GetValue(config), parse.GetValue(vggBase), parse.GetValue(init), parse.GetValue(output), Adjust, computeDevice)
                : parse.GetValue(init) is { } initPath
                    ? FineTune(spec, evalSpec, initPath, parse.GetValue(config), parse.GetValue(split)!, parse.GetValue(output), parse.GetValue(vggBase), parse.GetValue(force), Adjust, computeDevice)
                    : StartNew(spec, evalSpec, parse.GetValue(config), parse.GetValue(output), parse.GetValue(vggBase), parse.GetValue(force), Adjust, computeDevice);
            if (trainer.Device == ComputeDevice.Cpu) HostMemory.KeepFreedMemoryForReuse();
            var options = trainer.Options;
            var classNames = trainer.Network.Config.ClassNames;

            var dataset = DatasetReader.Read(spec, DatasetReadOptions.ForTraining(classNames, parse.GetValue(split)!, options.IgnoreDifficult));
            var ignoredNote = options.IgnoreDifficult
                ? $", {dataset.Images.Sum(i => i.Objects.Count(o => o.DifficultOrCrowd))} difficult or crowd objects to ignore"
                : "";
            Terminal.Error.MarkupLineInterpolated($"[grey]training set: {dataset.Images.Count} images from {dataset.Spec}{ignoredNote}{ProblemNote(dataset)}[/]");
            if (options.EvaluateEvery > 0)
            {
                var evalSet = DatasetReader.Read(evalSpec ?? throw EvalDataMissing(), DatasetReadOptions.ForEvaluation(classNames, parse.GetValue(evalSplit)!));
                Terminal.Error.MarkupLineInterpolated($"[grey]evaluation set: {evalSet.Images.Count} images from {evalSet.Spec}, every {options.EvaluateEvery} iterations[/]");
                trainer.Evaluator = VocEvaluationHook.Create(evalSet.Images);
            }

            var source = new TrainingLoader(dataset.Images, NetworkInputFormat.From(trainer.Network.Config),
                new LoaderOptions
                {
                    BatchSize = options.BatchSize, Workers = parse.GetValue(workers), Seed = options.Seed, CorruptImages = CorruptImagePolicy.Skip,
                    IgnoreDifficult = options.IgnoreDifficult,
                },
                message => Terminal.Error.MarkupLineInterpolated($"[yellow]warning: {message}[/]"));
            Terminal.Error.MarkupLineInterpolated(
                $"[grey]{trainer.Network.Config.Name}: iterations {trainer.Iteration}→{options.Iterations}, batch {options.BatchSize}, lr {options.LearningRate}, difficult objects {(options.IgnoreDifficult ? "ignored" : "dropped")}, on {trainer.Device}, output {trainer.OutputDirectory}[/]");

            using var cancel = new CancellationTokenSource();
            TrainingResult result;
            using (CancelOnSignals(cancel))
            {
                try
                {
                    result = RunWithDisplay(trainer, source, cancel.Token);
                }
                catch (TrainingDivergedException e)
                {
                    CommandRunner.WriteError($"{e.Message}. Lower --lr, add --warmup or --clip, then continue with --resume {trainer.OutputDirectory}");
                    return 1;
                }
            }

            if (result.Outcome == TrainingOutcome.Cancelled)
            {
                Console.Error.WriteLine($"interrupted at iteration {result.Iteration}; checkpoint {result.CheckpointPath}");
                Console.Error.WriteLine($"continue with: ssd train --resume {trainer.OutputDirectory} --data {parse.GetValue(data)}");
                return 130;
            }
            // Plain lines: paths must not be wrapped at the console width.
            Console.WriteLine($"trained {result.Iteration} iterations: model {result.ModelPath}");
            Console.WriteLine($"log {result.LogPath}");
            Console.WriteLine($"loss curve {result.LossCurvePath}");
            Console.WriteLine($"checkpoint {result.CheckpointPath}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.ImagesPerSecond:F1} images/s, {result.DataWaitShare:P1} of the time waiting for data"));
            return 0;
        }));
        return command;
    }

    /// <summary>The refusal of evaluations without data: of <c>--eval-every</c> given, or of a resumed run's own.</summary>
    private static SsdInputException EvalDataMissing() => new("--eval-every needs --eval-data SPEC");

    /// <summary>
    /// A new run into <paramref name="output"/>, which must hold no checkpoint (that is a run to resume) and be new,
    /// empty or made by ssd (unless <paramref name="force"/>); the files the run writes must not be its inputs.
    /// </summary>
    private static Trainer StartNew(DatasetSpec data, DatasetSpec? evalData, string? configName, string? output, string? vggBase, bool force, Func<TrainingOptions, TrainingOptions> adjust, ComputeDevice device)
    {
        if (configName is null) throw new SsdInputException("--config is required for a new run (or --resume DIR to continue one)");
        if (output is null) throw new SsdInputException("--out is required for a new run (or --resume DIR to continue one)");
        if (vggBase != null) InputFile.CheckReadable(vggBase, "a VGG base checkpoint (.pth)");
        var config = ModelResolver.LoadConfig(configName);
        return WithPlannedOutputs(Trainer.Create(config, adjust(TrainingOptions.For(config, pretrainedBase: vggBase != null)), output, vggBase, device),
            data, evalData, output, force, configName, vggBase);
    }

    /// <summary>
    /// <paramref name="trainer"/> once its output folder is checked: new, empty or made by ssd (unless <paramref name="force"/>),
    /// and none of the files the run writes is one of its inputs, nor among the files of its training or evaluation data;
    /// disposed when the check fails.
    /// </summary>
    private static Trainer WithPlannedOutputs(Trainer trainer, DatasetSpec data, DatasetSpec? evalData, string output, bool force, params string?[] inputs)
    {
        try
        {
            var plan = new OutputPlan().ReadsDataset(data).ReadsDataset(evalData).Reads(inputs);
            var folder = plan.Folder("--out", output, force);
            foreach (var file in new[] { Trainer.ModelFileName, TrainingLog.FileName, LossCurve.FileName, TrainingCheckpoint.SidecarName })
                plan.FileIn("--out", folder, file);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new run from another model's weights, for <paramref name="configName"/> or else for the model's own
    /// configuration, whose classes become the training data's when the model does not know them all.
    /// </summary>
    private static Trainer FineTune(DatasetSpec data, DatasetSpec? evalData, string initPath, string? configName, string split, string? output, string? vggBase, bool force,
        Func<TrainingOptions, TrainingOptions> adjust, ComputeDevice device)
    {
        if (output is null) throw new SsdInputException("--out is required for a new run (or --resume DIR to continue one)");
        if (vggBase is not null) throw new SsdInputException("--init brings its own base; leave --base out");
        InputFile.CheckReadable(initPath, "a model to start from (SsdSharp model, torchvision or ssd.pytorch .pth)");
        using var weights = ImportedWeights.Read(initPath);
        var config = configName is not null ? ModelResolver.LoadConfig(configName) : WithDataClasses(weights.ConfigFor(null), data, split);
        // The base of a trained model is pretrained: the recipe is the one for a pretrained base.
        var trainer = WithPlannedOutputs(Trainer.Create(config, adjust(TrainingOptions.For(config, pretrainedBase: true)), output, device: device, initialWeights: weights),
            data, evalData, output, force, configName, initPath);
        var transfer = trainer.InitialWeights!;
        // Plain lines: a path or a list of layers must not be wrapped at the console width.
        Console.Error.WriteLine($"starting from {initPath} ({weights.Format}): loaded {transfer.Loaded.Count} of the network's {transfer.Loaded.Count + transfer.Kept.Count} tensors");
        if (transfer.Kept.Count > 0)
            Console.Error.WriteLine($"re-initialised (not in {Path.GetFileName(initPath)} with this shape): {string.Join(", ", WeightTransfer.Layers(transfer.Kept))}");
        if (transfer.Unused.Count > 0)
            Console.Error.WriteLine($"not used from {Path.GetFileName(initPath)}: {string.Join(", ", WeightTransfer.Layers(transfer.Unused))}");
        return trainer;
    }

    /// <summary><paramref name="config"/>, with the classes of the training data unless it knows all of them already (then its heads fit as they are).</summary>
    private static SsdConfig WithDataClasses(SsdConfig config, DatasetSpec data, string split)
    {
        var classes = DatasetReader.Read(data, DatasetReadOptions.ForTraining(null, split)).ClassNames;
        return classes.All(config.ClassNames.Contains) ? config : config with { ClassNames = classes };
    }

    /// <summary>Continues the run in <paramref name="directory"/>; options the command repeats must be the run's (the checkpoint's configuration).</summary>
    private static Trainer Resume(string directory, string? config, string? vggBase, string? init, string? output, Func<TrainingOptions, TrainingOptions> adjust, ComputeDevice device)
    {
        if (init != null) throw new SsdInputException("--init starts a new run; leave it out with --resume (the weights come from the checkpoint)");
        if (output != null && Path.GetFullPath(output) != Path.GetFullPath(directory))
            throw new SsdInputException($"--out {output} differs from --resume {directory}; a resumed run writes to its own directory");
        if (vggBase != null)
            Terminal.Error.MarkupLineInterpolated($"[grey]--base is not used when resuming: the weights come from the checkpoint[/]");
        return Trainer.Resume(directory, adjust, config is null ? null : ModelResolver.LoadConfig(config), device);
    }

    private static IReadOnlyList<long> ParseSteps(string text)
    {
        const string Expected = "iteration numbers separated by commas (e.g. 80000,100000), or '' for a constant rate";
        return CommaSeparated.Items("--lr-steps", text, Expected, blankAllowed: true).Select(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new SsdInputException($"--lr-steps: '{p}' is not an iteration number; expected {Expected}")).ToArray();
    }

    private static string ProblemNote(AnnotatedDataset dataset) =>
        dataset.Problems.Count == 0 ? "" : $" ({dataset.Problems.Count} annotation problems fixed or skipped; `ssd dataset` lists them)";

    /// <summary>Ctrl-C and SIGTERM cancel the token once (the trainer then saves a checkpoint); a second Ctrl-C ends the process.</summary>
    private static IDisposable CancelOnSignals(CancellationTokenSource cancel)
    {
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            Terminal.Error.MarkupLine("[yellow]stopping after this step and saving a checkpoint (Ctrl-C again to abort)[/]");
            cancel.Cancel();
        };
        Console.CancelKeyPress += handler;
        var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        return new Unsubscribe(() =>
        {
            Console.CancelKeyPress -= handler;
            term.Dispose();
        });
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static TrainingResult RunWithDisplay(Trainer trainer, IBatchSource source, CancellationToken cancellationToken)
    {
        if (!Terminal.Error.Profile.Capabilities.Interactive)
        {
            return trainer.Run(source, new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Iteration % PlainReportEvery == 0 || p.Iteration == p.TotalIterations || p.Evaluation != null || p.CheckpointPath != null)
                    Console.Error.WriteLine(Describe(p));
            }), cancellationToken);
        }
        TrainingResult? result = null;
        Terminal.Error.Progress()
            .AutoClear(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: trainer.Options.Iterations);
                task.Value = trainer.Iteration;
                result = trainer.Run(source, new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Iteration;
                    task.Description = Markup.Escape(Describe(p));
                    if (p.Evaluation != null || p.CheckpointPath != null) context.Refresh();
                }), cancellationToken);
            });
        return result!;
    }

    private static string Describe(TrainingProgress p)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"it {p.Iteration}/{p.TotalIterations}  loss_l {p.LocalizationLoss:F3}  loss_c {p.ConfidenceLoss:F3}  lr {p.LearningRate:G3}  {p.ImagesPerSecond:F1} img/s  data wait {p.DataWaitShare:P0}  ETA {FormatDuration(p.Remaining)}");
        if (p.Evaluation != null) text += "  eval " + string.Join(" ", p.Evaluation.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}")));
        if (p.CheckpointPath != null) text += $"  saved {Path.GetFileName(p.CheckpointPath)}";
        return text;
    }

    private static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
}
