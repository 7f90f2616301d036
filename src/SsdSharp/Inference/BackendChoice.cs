namespace SsdSharp.Inference;

/// <summary>What <see cref="AutoBackend"/> chose and why.</summary>
/// <param name="Options">The concrete options chosen (backend, precision, layout, device).</param>
/// <param name="Description">The chosen backend's description.</param>
/// <param name="Milliseconds">Its forward pass at batch 1 (decoding included), null when nothing competed.</param>
/// <param name="Timings">Every candidate's time, in the order they were timed.</param>
/// <param name="FromCache">Whether the choice was read from the cache rather than measured now.</param>
/// <param name="MeasuredAt">When the candidates were timed.</param>
public sealed record BackendChoice(DetectorOptions Options, string Description, double? Milliseconds, IReadOnlyList<BackendTiming> Timings,
    bool FromCache, DateTimeOffset MeasuredAt);

/// <summary>One candidate's time.</summary>
/// <param name="Description">The backend's description.</param>
/// <param name="Milliseconds">Its forward pass at batch 1.</param>
public sealed record BackendTiming(string Description, double Milliseconds);
