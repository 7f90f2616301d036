using System.Diagnostics;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Loss;
using SsdSharp.Matching;
using SsdSharp.Modeling;
using SsdSharp.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SsdSharp.Data.Loading;

namespace SsdSharp.Training;

/// <summary>
/// Trains an <see cref="SsdNetwork"/> with MultiBoxLoss and SGD (momentum, weight decay) for a fixed
/// number of iterations, with a warm-up and step-decay learning rate, optional gradient clipping,
/// resumable checkpoints, a JSON-lines log, a loss chart and an optional evaluation hook.
/// Create it with <see cref="Create"/> (a new run) or <see cref="Resume"/>, then call <see cref="Run"/>.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly SGD _optimizer;
    private readonly List<(string Name, Parameter Parameter)> _parameters;
    private readonly PriorMatcher _matcher;
    private readonly MultiBoxLoss _loss;
    private readonly Device _device;
    private double _elapsedBefore;

    // The newest checkpoint (null before the first): named in errors, and where a run resumes from.
    private string? _checkpoint;
    private long _checkpointIteration = -1;

    // Takes ownership of the network: disposes it when the trainer cannot be made (a device that is not there,
    // out of GPU memory), as the caller no longer owns it.
    private Trainer(SsdNetwork network, TrainingOptions options, string outputDirectory, ComputeDevice? device)
    {
        Network = network;
        Options = options;
        OutputDirectory = outputDirectory;
        try
        {
            _device = Devices.Resolve(device ?? ComputeDevice.Auto);
            network.to(_device);
            _parameters = network.named_parameters().Select(p => (p.name, p.parameter)).ToList();
            _optimizer = optim.SGD(_parameters.Select(p => p.Parameter), options.LearningRate,
                momentum: options.Momentum, weight_decay: options.WeightDecay);
            _matcher = new PriorMatcher(DefaultBoxes.For(network.Config), options.MatchThreshold, _device);
            _loss = new MultiBoxLoss(options.NegativesPerPositive);
        }
        catch
        {
            _optimizer?.Dispose();
            network.Dispose();
            throw;
        }
    }

    /// <summary>File name of the trained model, written in the output directory when a run completes.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>Where the network trains.</summary>
    public ComputeDevice Device => Devices.Describe(_device);

    /// <summary>The network being trained.</summary>
    public SsdNetwork Network { get; }

    /// <summary>The options of the run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Directory of checkpoints, log, chart and final model.</summary>
    public string OutputDirectory { get; }

    /// <summary>
    /// For a run started from another model's weights: which entries were loaded and which kept their
    /// initialisation (for example the class heads of a model with other classes); null otherwise.
    /// </summary>
    public WeightTransfer? InitialWeights { get; private init; }

    /// <summary>Optimiser steps completed; the next batch is the one with this 0-based number.</summary>
    public long Iteration { get; private set; }

    /// <summary>
    /// Optional hook run every <see cref="TrainingOptions.EvaluateEvery"/> iterations with the network in
    /// eval mode; its metrics (for example <see cref="VocEvaluationHook"/>'s <c>map07</c>) are logged and reported.
    /// </summary>
    public Func<SsdNetwork, CancellationToken, IReadOnlyDictionary<string, double>>? Evaluator { get; set; }

    /// <summary>
    /// Starts a new run: seeds libtorch with <see cref="TrainingOptions.Seed"/>, builds the network
    /// with the reference's initialisation (<see cref="SsdNetwork.Initialize"/>) and, when given, loads
    /// the ImageNet VGG base (<c>vgg16_reducedfc.pth</c>) or, to fine-tune, every weight of another model
    /// that fits (<see cref="InitialWeights"/> says which did). Either way the run trains with SsdSharp's
    /// matcher and loss.
    /// </summary>
    /// <param name="config">The network to train.</param>
    /// <param name="options">The run's options (<see cref="TrainingOptions.For"/> gives the configuration's recipe).</param>
    /// <param name="outputDirectory">Where checkpoints, log, chart and model go.</param>
    /// <param name="vggBasePath">An ImageNet VGG16 base (<c>vgg16_reducedfc.pth</c>), or null for a random base.</param>
    /// <param name="device">Where to train: a CUDA GPU when one is available, else the CPU, unless given.</param>
    /// <param name="initialWeights">A model to start from (any <see cref="ImportedWeights"/>): its layers of the same names and shapes are loaded, the others keep their initialisation.</param>
    /// <exception cref="SsdInputException"><paramref name="outputDirectory"/> already holds a checkpoint, the device is not available, both a base and initial weights are given, or no initial weight fits.</exception>
    public static Trainer Create(SsdConfig config, TrainingOptions options, string outputDirectory, string? vggBasePath = null, ComputeDevice? device = null,
        ImportedWeights? initialWeights = null)
    {
        options.Validate();
        if (TrainingCheckpoint.Exists(outputDirectory))
            throw new SsdInputException($"{outputDirectory}: already holds a training checkpoint; continue it with --resume {outputDirectory} or choose another output directory");
        if (vggBasePath != null && initialWeights != null)
            throw new SsdInputException($"{initialWeights.Path}: initial weights bring their own base; leave the VGG base {vggBasePath} out");
        manual_seed(options.Seed);
        var network = new SsdNetwork(config);
        WeightTransfer? transfer = null;
        try
        {
            network.Initialize();
            if (vggBasePath != null) ReferenceWeights.LoadVggBase(network, vggBasePath);
            if (initialWeights != null)
            {
                transfer = StateDictLoader.LoadWhatFits(network, initialWeights.StateDict, initialWeights.Path);
                if (transfer.Loaded.Count == 0)
                    throw new SsdInputException($"{initialWeights.Path}: no weight fits configuration '{config.Name}' (another network; start it from a model of the same layout)");
            }
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return new Trainer(network, options, outputDirectory, device) { InitialWeights = transfer };
    }

    /// <summary>
    /// Continues the run whose newest checkpoint is in <paramref name="directory"/>: weights, momentum
    /// buffers, RNG state and iteration are restored, so that with the same batches the run goes on
    /// exactly as if it had not stopped.
    /// </summary>
    /// <param name="directory">The output directory of the interrupted run (it stays the output directory).</param>
    /// <param name="adjust">Changes the stored options, for example to extend <see cref="TrainingOptions.Iterations"/>.</param>
    /// <param name="config">
    /// The configuration the caller expects (a command repeated with <c>--resume</c> appended names it again):
    /// accepted when it is the run's, refused naming the first field that differs. Null takes the run's.
    /// </param>
    /// <param name="device">Where to train: a CUDA GPU when one is available, else the CPU, unless given.</param>
    /// <exception cref="SsdInputException">
    /// No checkpoint there; <paramref name="adjust"/> changes the batch size, the seed or the treatment of difficult objects, or asks for fewer iterations
    /// than the run has done; or <paramref name="config"/> is not the run's.
    /// </exception>
    public static Trainer Resume(string directory, Func<TrainingOptions, TrainingOptions>? adjust = null, SsdConfig? config = null, ComputeDevice? device = null)
    {
        var info = TrainingCheckpoint.Read(directory);
        if (config != null && SsdConfigComparison.FirstDifference(info.Config, config) is var (field, run, given))
            throw new SsdInputException($"{directory}: the configuration given is not the run's: '{field}' is {run} in the run, {given} given; a resumed run keeps its configuration");
        var options = (adjust?.Invoke(info.Options) ?? info.Options).Validate();
        // The data stream is a function of batch size and seed: changing them would not continue the run.
        if (options.BatchSize != info.Options.BatchSize)
            throw new SsdInputException($"{directory}: the batch size cannot change when a run is resumed (the run has {info.Options.BatchSize}, asked for {options.BatchSize})");
        if (options.Seed != info.Options.Seed)
            throw new SsdInputException($"{directory}: the seed cannot change when a run is resumed (the run has {info.Options.Seed}, asked for {options.Seed})");
        // Which objects are read (and so which images, in which order) depends on it as well.
        if (options.IgnoreDifficult != info.Options.IgnoreDifficult)
            throw new SsdInputException($"{directory}: difficult objects cannot change from {Treatment(info.Options)} to {Treatment(options)} when a run is resumed");
        if (options.Iterations < info.Iteration)
            throw new SsdInputException($"{directory}: the run has done {info.Iteration} iterations; it cannot be resumed to a total of {options.Iterations}");
        // A checkpoint write killed midway left its temporary files; the run now owns the directory again.
        AtomicFile.RemoveOrphans(directory);
        var trainer = new Trainer(new SsdNetwork(info.Config), options, directory, device);
        try
        {
            TrainingCheckpoint.Restore(info, trainer.Network, trainer._optimizer, trainer._parameters);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        trainer.Iteration = trainer._checkpointIteration = info.Iteration;
        trainer._checkpoint = info.File;
        trainer._elapsedBefore = info.ElapsedSeconds;
        return trainer;
    }

    private static string Treatment(TrainingOptions options) => options.IgnoreDifficult ? "ignored" : "dropped";

    /// <summary>
    /// Trains until <see cref="TrainingOptions.Iterations"/> or until <paramref name="cancellationToken"/>
    /// is cancelled (a checkpoint is then written, and the result says <see cref="TrainingOutcome.Cancelled"/>).
    /// </summary>
    /// <param name="source">The batches; must have been built with <see cref="TrainingOptions.Seed"/> for a resumed run to be exact.</param>
    /// <param name="progress">Receives a report after every iteration, on the training thread (see <see cref="SynchronousProgress{T}"/>).</param>
    /// <param name="cancellationToken">Stops the run after the current step.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; no checkpoint is written.</exception>
    public TrainingResult Run(IBatchSource source, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(OutputDirectory);
        var meter = new ThroughputMeter();
        long sessionStart = Iteration;
        var outcome = TrainingOutcome.Completed;
        string logPath;

        Network.train();
        using (var log = new TrainingLog(OutputDirectory, Iteration))
        using (var batches = source.Batches(Iteration, cancellationToken).GetEnumerator())
        {
            logPath = log.Path;
            while (Iteration < Options.Iterations)
            {
                var clock = Stopwatch.StartNew();
                if (!NextBatch(batches, cancellationToken))
                {
                    outcome = TrainingOutcome.Cancelled;
                    break;
                }
                double wait = clock.Elapsed.TotalSeconds;
                double lr = Options.LearningRateAt(Iteration);
                double lossL, lossC;
                int images;
                using (var batch = batches.Current)
                {
                    images = batch.Count;
                    (lossL, lossC) = Step(batch, lr);
                }
                Iteration++;
                double stepSeconds = clock.Elapsed.TotalSeconds;
                meter.Add(stepSeconds, wait, images);

                string? written = Iteration % Options.CheckpointEvery == 0 || Iteration == Options.Iterations ? SaveCheckpoint(meter) : null;
                var metrics = Evaluator != null && Options.EvaluateEvery > 0 && Iteration % Options.EvaluateEvery == 0 ? Evaluate(cancellationToken) : null;
                var report = new TrainingProgress(Iteration, Options.Iterations, lossL, lossC, lr,
                    meter.RecentImagesPerSecond, meter.DataWaitShare, meter.Remaining(Options.Iterations - Iteration),
                    stepSeconds, wait, metrics, written);
                log.Write(report);
                progress?.Report(report);
            }
        }
        return Finish(outcome, meter, Iteration > sessionStart, logPath);
    }

    /// <summary>Waits for the next batch; false when the run was cancelled meanwhile.</summary>
    private bool NextBatch(IEnumerator<TrainingBatch> batches, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return false;
        try
        {
            return batches.MoveNext() ? true : throw new InvalidOperationException($"the batch source ended at iteration {Iteration}; it must be endless");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The end of a session: a checkpoint of the last step, the model file when complete, the loss curve.</summary>
    private TrainingResult Finish(TrainingOutcome outcome, ThroughputMeter meter, bool trained, string logPath)
    {
        if (_checkpointIteration != Iteration || _checkpoint is null) SaveCheckpoint(meter);
        string? modelPath = null;
        if (outcome == TrainingOutcome.Completed)
        {
            modelPath = Path.Combine(OutputDirectory, ModelFileName);
            NetworkFile.Save(Network, modelPath, Network.Config with { Recipe = Options.AsRecipe() });
        }
        var curvePath = Path.Combine(OutputDirectory, LossCurve.FileName);
        LossCurve.Save(TrainingLog.ReadLosses(logPath), curvePath, $"{Network.Config.Name}: training loss");
        return new TrainingResult(outcome, Iteration, _checkpoint!, modelPath, logPath, curvePath,
            trained ? meter.SessionImagesPerSecond : 0, meter.DataWaitShare);
    }

    /// <summary>One optimiser step; returns (loss_l, loss_c).</summary>
    private (double, double) Step(TrainingBatch batch, double lr)
    {
        using var scope = NewDisposeScope();
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
        _optimizer.zero_grad();
        var (loc, conf) = Network.call(batch.Images.to(_device));
        var truths = batch.Targets.Select(t => new ImageTargets(t.Boxes.to(_device), t.Labels.to(_device))).ToList();
        using var targets = _matcher.Match(truths);
        using var losses = _loss.Compute(loc, conf, targets);
        double lossL = losses.Localization.item<float>();
        double lossC = losses.Confidence.item<float>();
        if (!double.IsFinite(lossL) || !double.IsFinite(lossC))
            throw new TrainingDivergedException(Iteration + 1, $"the loss became non-finite (loss_l = {lossL}, loss_c = {lossC})", batch.ImageIds, _checkpoint);
        Network.Backward(losses.Total());
        if (Options.MaxGradientNorm is { } maxNorm)
        {
            double norm = nn.utils.clip_grad_norm_(_parameters.Select(p => p.Parameter), maxNorm);
            if (!double.IsFinite(norm))
                throw new TrainingDivergedException(Iteration + 1, $"the gradient norm became non-finite ({norm})", batch.ImageIds, _checkpoint);
        }
        _optimizer.step();
        return (lossL, lossC);
    }

    private IReadOnlyDictionary<string, double> Evaluate(CancellationToken cancellationToken)
    {
        Network.eval();
        try
        {
            return Evaluator!(Network, cancellationToken);
        }
        finally
        {
            Network.train();
        }
    }

    private string SaveCheckpoint(ThroughputMeter meter)
    {
        _checkpoint = TrainingCheckpoint.Save(OutputDirectory, Network, _optimizer, _parameters, Options, Iteration, _elapsedBefore + meter.ElapsedSeconds);
        _checkpointIteration = Iteration;
        return _checkpoint;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }
}
