namespace SsdSharp.Configuration;

/// <summary>Settings of the test-phase post-processing (SPEC §5); the defaults are the reference's but for <see cref="MaxDetections"/>.</summary>
public sealed record DetectionOptions
{
    /// <summary>A class score must exceed this to be a candidate (0.01).</summary>
    public double ConfidenceThreshold { get; init; } = 0.01;

    /// <summary>NMS suppresses boxes whose IoU with a kept box exceeds this (0.45).</summary>
    public double NmsThreshold { get; init; } = 0.45;

    /// <summary>Candidates per class entering NMS, and most boxes kept per class (200).</summary>
    public int TopK { get; init; } = 200;

    /// <summary>Global cap on detections per image, highest scores first; null keeps all (the reference).</summary>
    public int? MaxDetections { get; init; } = 200;

    /// <summary>
    /// Whether all classes compete in one NMS (the <see cref="TopK"/> highest class scores over all
    /// classes are the candidates) instead of one NMS per class (the reference).
    /// </summary>
    public bool ClassAgnostic { get; init; }

    /// <summary>The post-processing <paramref name="config"/> is meant to run with: its <see cref="SsdConfig.Detection"/>, or SPEC §5's.</summary>
    public static DetectionOptions For(SsdConfig config) => config.Detection ?? new DetectionOptions();

    /// <summary>Checks the values.</summary>
    /// <exception cref="SsdInputException">Naming the wrong option.</exception>
    public DetectionOptions Validate()
    {
        // Written as what is accepted, so that NaN, which compares false to everything, is refused.
        if (ConfidenceThreshold is not (>= 0 and < 1)) throw new SsdInputException($"conf-threshold: must be in [0, 1), got {ConfidenceThreshold}");
        if (NmsThreshold is not (> 0 and <= 1)) throw new SsdInputException($"nms-threshold: must be in (0, 1], got {NmsThreshold}");
        if (TopK < 1) throw new SsdInputException($"top-k: must be at least 1, got {TopK}");
        if (MaxDetections is < 1) throw new SsdInputException($"max-detections: must be at least 1, got {MaxDetections}");
        return this;
    }
}
