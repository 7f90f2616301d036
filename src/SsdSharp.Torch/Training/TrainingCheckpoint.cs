using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SsdSharp.Configuration;
using SsdSharp.IO;
using SsdSharp.Modeling;
using SsdSharp.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Training;

/// <summary>
/// What a checkpoint holds besides tensors, as read from its JSON sidecar <c>checkpoint.json</c>.
/// </summary>
/// <param name="Iteration">Optimiser steps completed; the run continues with the batch of this 0-based number.</param>
/// <param name="File">Full path of the tensor file (safetensors: model state, momentum buffers, libtorch RNG state).</param>
/// <param name="Config">The network's configuration.</param>
/// <param name="Options">The training options of the run.</param>
/// <param name="ElapsedSeconds">Training time spent up to this checkpoint, over all resumed sessions.</param>
public sealed record CheckpointInfo(long Iteration, string File, SsdConfig Config, TrainingOptions Options, double ElapsedSeconds);

/// <summary>
/// Resumable training state in a directory: a safetensors file per checkpoint, named after the
/// configuration and iteration (<c>shapes300-iter0005000.safetensors</c>), holding the model's state
/// dict (<c>model.*</c>), the SGD momentum buffers (<c>momentum.*</c>) and libtorch's RNG state; and the
/// sidecar <c>checkpoint.json</c> naming the newest complete one. Both are written to a temporary file
/// and renamed, the sidecar last, so an interruption at any moment leaves the previous checkpoint usable.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>File name of the sidecar that points at the newest checkpoint.</summary>
    public const string SidecarName = "checkpoint.json";

    private const string Format = ModelFile.TrainingCheckpointFormat;
    private const string ModelPrefix = "model.";
    private const string MomentumPrefix = "momentum.";
    private const string RngKey = "rng.torch";

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint.</summary>
    public static bool Exists(string directory) => System.IO.File.Exists(Path.Combine(directory, SidecarName));

    /// <summary>Reads the sidecar of the newest checkpoint in <paramref name="directory"/>.</summary>
    /// <exception cref="SsdInputException">No checkpoint there, or a damaged sidecar; the message names the file.</exception>
    public static CheckpointInfo Read(string directory)
    {
        var sidecar = Path.Combine(directory, SidecarName);
        if (!System.IO.File.Exists(sidecar))
            throw new SsdInputException($"{directory}: no training checkpoint ({SidecarName} not found)");
        try
        {
            var root = JsonNode.Parse(Utf8File.ReadText(sidecar), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })?.AsObject()
                ?? throw new SsdInputException($"{sidecar}: empty");
            if (root["format"]?.GetValue<string>() != Format)
                throw new SsdInputException($"{sidecar}: 'format' is not '{Format}'");
            var file = Path.Combine(directory, root["file"]!.GetValue<string>());
            if (!System.IO.File.Exists(file))
                throw new SsdInputException($"{sidecar}: names '{Path.GetFileName(file)}', which does not exist");
            return new CheckpointInfo(
                root["iteration"]!.GetValue<long>(),
                file,
                SsdConfig.FromJson(root["config"]!.ToJsonString(), $"{sidecar}: config"),
                TrainingOptions.FromJson(root["options"]!.ToJsonString(), $"{sidecar}: options"),
                root["elapsed_seconds"]!.GetValue<double>());
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new SsdInputException($"{sidecar}: damaged checkpoint sidecar ({e.Message})");
        }
    }

    /// <summary>Whether a file is a training checkpoint (any of a run's), told by its metadata, read from the header alone.</summary>
    /// <exception cref="WeightsException">A file that is neither a PyTorch checkpoint (by extension) nor safetensors; the message names it.</exception>
    public static bool IsCheckpoint(string path) =>
        !ModelWeights.IsPyTorchCheckpoint(path) && SafeTensors.Metadata(path).GetValueOrDefault("format") == Format;

    /// <summary>
    /// The files <see cref="LoadModel"/> reads for <paramref name="path"/>: the file, and for a training checkpoint its run's
    /// <see cref="SidecarName"/> too, which a command writing beside it must not replace.
    /// </summary>
    /// <exception cref="WeightsException">Neither kind of file; the message names it.</exception>
    public static IReadOnlyList<string> FilesRead(string path) =>
        System.IO.File.Exists(path) && IsCheckpoint(path) ? [path, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, SidecarName)] : [path];

    /// <summary>
    /// The configuration and weights of an SsdSharp model file, or of the network in a checkpoint file (any of a run's,
    /// not only the newest), whose configuration is the run's: the one in the <see cref="SidecarName"/> beside it, with the
    /// run's options as its recipe, as the model file the run writes at its end has.
    /// </summary>
    /// <exception cref="SsdInputException">A checkpoint file without its run's sidecar beside it.</exception>
    /// <exception cref="WeightsException">Neither kind of file; the message names it.</exception>
    public static (SsdConfig Config, Dictionary<string, HostTensor> StateDict) LoadModel(string path)
    {
        if (!System.IO.File.Exists(path) || ModelWeights.IsPyTorchCheckpoint(path)) return ModelFile.Load(path);
        var (tensors, metadata) = SafeTensors.Load(path);
        if (!metadata.TryGetValue("format", out var format) || format != Format) return ModelFile.From(path, tensors, metadata);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Exists(directory))
            throw new SsdInputException($"{path}: a training checkpoint without its run's {SidecarName} beside it, which holds the network's configuration");
        // The weights a model file would hold: without batch norm's step counters.
        var model = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal) && !StateDictKeys.IsBookkeeping(kv.Key[ModelPrefix.Length..]))
            .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value);
        var run = Read(directory);
        return (run.Config with { Recipe = run.Options.AsRecipe() }, model);
    }

    /// <summary>The network of <see cref="LoadModel"/>: a model file, or a checkpoint as the model file its run would write there.</summary>
    /// <param name="path">A model file or a training checkpoint.</param>
    /// <param name="config">Overrides the file's configuration, e.g. to rename classes; it must describe the same network.</param>
    /// <exception cref="SsdInputException">The file cannot be used, or its weights do not fit the network; the message names it.</exception>
    public static SsdNetwork LoadNetwork(string path, SsdConfig? config = null)
    {
        var (own, stateDict) = LoadModel(path);
        return StateDictLoader.NetworkOf(config ?? own, stateDict, path);
    }

    /// <summary>Writes a checkpoint and points the sidecar at it; then deletes all but the newest <see cref="TrainingOptions.KeepCheckpoints"/>.</summary>
    /// <returns>Path of the tensor file.</returns>
    internal static string Save(string directory, SsdNetwork network, SGD optimizer, IReadOnlyList<(string Name, Parameter Parameter)> parameters,
        TrainingOptions options, long iteration, double elapsedSeconds)
    {
        Directory.CreateDirectory(directory);
        var name = $"{network.Config.Name}-iter{iteration.ToString("D7", CultureInfo.InvariantCulture)}.safetensors";
        var path = Path.Combine(directory, name);
        using (var scope = NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>();
            foreach (var (key, value) in network.state_dict()) tensors[ModelPrefix + key] = value;
            var states = optimizer.state_dict().State;
            // The optimiser's states are in the order of the parameters it was given.
            for (int i = 0; i < parameters.Count; i++)
            {
                if (((SGD.State)states[i]).momentum_buffer is { } buffer) tensors[MomentumPrefix + parameters[i].Name] = buffer;
            }
            tensors[RngKey] = get_rng_state();
            SafeTensors.Save(path, tensors.ToDictionary(kv => kv.Key, kv => HostTensors.FromTorch(kv.Value)), new Dictionary<string, string>
            {
                ["format"] = Format,
                ["iteration"] = iteration.ToString(CultureInfo.InvariantCulture),
            });
        }

        var sidecar = new JsonObject
        {
            ["format"] = Format,
            ["iteration"] = iteration,
            ["file"] = name,
            ["elapsed_seconds"] = elapsedSeconds,
            ["created"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["config"] = JsonNode.Parse(network.Config.ToJson()),
            ["options"] = JsonNode.Parse(options.ToJson()),
        };
        AtomicFile.WriteAllText(Path.Combine(directory, SidecarName), sidecar.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var prefix = $"{network.Config.Name}-iter";
        foreach (var old in Directory.GetFiles(directory, $"{prefix}*.safetensors").Order(StringComparer.Ordinal).SkipLast(options.KeepCheckpoints))
        {
            if (!string.Equals(old, path, StringComparison.Ordinal)) System.IO.File.Delete(old);
        }
        return path;
    }

    /// <summary>Loads the model state, momentum buffers and RNG state of <paramref name="info"/>.</summary>
    internal static void Restore(CheckpointInfo info, SsdNetwork network, SGD optimizer, IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        var (tensors, metadata) = SafeTensors.Load(info.File);
        if (!metadata.TryGetValue("iteration", out var stored) || stored != info.Iteration.ToString(CultureInfo.InvariantCulture))
            throw new SsdInputException($"{info.File}: holds iteration {stored ?? "?"}, the sidecar says {info.Iteration}");
        var model = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value);
        // Checked before anything is restored: NaN momentum would train a NaN model without a word, and libtorch
        // aborts the process (no exception) on an RNG state it refuses.
        var nonFinite = parameters.Select(p => MomentumPrefix + p.Name)
            .Where(key => tensors.TryGetValue(key, out var buffer) && buffer.DType is TensorDType.F32 or TensorDType.F64 or TensorDType.F16 or TensorDType.BF16 && !buffer.ToFloat32().All(float.IsFinite))
            .ToList();
        if (nonFinite.Count > 0) throw WeightsException.NonFinite(info.File, nonFinite);
        if (tensors.TryGetValue(RngKey, out var rng) && CpuRngStateProblem(rng) is { } problem)
            throw new SsdInputException($"{info.File}: {RngKey}: {problem}; the checkpoint is damaged");
        StateDictLoader.Load(network, model, info.File);
        using var scope = NewDisposeScope();
        var states = optimizer.state_dict().State;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!tensors.TryGetValue(MomentumPrefix + parameters[i].Name, out var buffer)) continue;
            var state = (SGD.State)states[i];
            state.momentum_buffer?.Dispose();
            state.momentum_buffer = HostTensors.ToTorch(buffer).to(parameters[i].Parameter.device, copy: true).DetachFromDisposeScope();
        }
        if (rng is not null) set_rng_state(HostTensors.ToTorch(rng));
    }

    /// <summary>
    /// What libtorch 2.10's CPU generator would refuse in <paramref name="state"/> (<c>CPUGeneratorImpl::set_state</c>), or
    /// null: its size (the legacy state of 5,048 bytes, or 5,056 with the float normal sample), and the mt19937 engine's
    /// <c>is_valid</c>: seeded, 1 ≤ left ≤ 624, next ≤ 624. Offsets are those of the C struct on 64-bit platforms:
    /// the initial seed (8 bytes), left and seeded (4 each), next (8), then the 624 words of the state.
    /// </summary>
    internal static string? CpuRngStateProblem(HostTensor state)
    {
        const int legacySize = 5048, size = 5056, stateWords = 624;
        if (state.DType != TensorDType.U8 || state.Data.Length is not (legacySize or size))
            return $"{state.Data.Length} bytes of {state.DType}, expected the {size} bytes (uint8) of libtorch's CPU generator";
        var data = state.Data.AsSpan();
        int left = BinaryPrimitives.ReadInt32LittleEndian(data[8..]), seeded = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(data[16..]);
        return seeded == 1 && left is >= 1 and <= stateWords && next <= stateWords
            ? null
            : $"not a valid mt19937 state (seeded {seeded}, left {left}, next {next})";
    }
}
