using SsdSharp.Configuration;

namespace SsdSharp.Data.Synthetic;

/// <summary>What <see cref="SyntheticVideo"/> makes: shapes moving on known straight paths over a still background.</summary>
public sealed record SyntheticVideoOptions
{
    /// <summary>The smallest frame side (the shapes need room).</summary>
    public const int MinSide = 64;

    /// <summary>The largest frame side: what the H.264 encoder takes (the video writer's <c>MaxSide</c>).</summary>
    public const int MaxSide = 16384;

    /// <summary>The slowest rate of the file: one frame per 100 s (the video writer's <c>MinFramesPerSecond</c>).</summary>
    public const double MinFramesPerSecond = 0.01;

    /// <summary>The fastest rate of the file (the video writer's <c>MaxFramesPerSecond</c>).</summary>
    public const double MaxFramesPerSecond = 1000;

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; init; } = 640;

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; init; } = 360;

    /// <summary>Number of frames.</summary>
    public int Frames { get; init; } = 100;

    /// <summary>Frames per second (for the video file; the motion is in pixels per frame).</summary>
    public double FramesPerSecond { get; init; } = 25;

    /// <summary>Moving objects; the first two always cross head-on in the middle of the frame halfway through.</summary>
    public int Objects { get; init; } = 6;

    /// <summary>Seed: the same seed and options give the same video.</summary>
    public long Seed { get; init; }

    /// <summary>Class names, each one of the five shapes (as for <see cref="SyntheticDatasetOptions.ClassNames"/>).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = SsdPresets.ShapeClasses;

    /// <summary>Object sizes in network-input pixels (SSD300's 300), log-uniform between the two; scaled to the frame.</summary>
    public (double Min, double Max) NetworkSize { get; init; } = (50, 110);

    /// <summary>Speeds in pixels per frame, uniform between the two.</summary>
    public (double Min, double Max) Speed { get; init; } = (2, 6);

    /// <summary>The rules of the still images (<c>difficult</c> marking); its classes are <see cref="ClassNames"/>.</summary>
    internal SyntheticDatasetOptions ImageOptions => new() { ClassNames = ClassNames, MinSide = Math.Min(Width, Height), MaxSide = Math.Max(Width, Height) };

    /// <summary>The shape of each class, in class order.</summary>
    /// <exception cref="SsdInputException">A value is out of range or a class unknown.</exception>
    public IReadOnlyList<ShapeKind> Validate()
    {
        if (Width is < MinSide or > MaxSide || Height is < MinSide or > MaxSide)
            throw new SsdInputException($"video size: sides must be {MinSide} to {MaxSide}, got {Width}×{Height}");
        if (Frames < 1) throw new SsdInputException($"frames: must be at least 1, got {Frames}");
        if (!(FramesPerSecond is >= MinFramesPerSecond and <= MaxFramesPerSecond))
            throw new SsdInputException($"frames per second: must be {MinFramesPerSecond} to {MaxFramesPerSecond}, got {FramesPerSecond}");
        if (Objects is < 0 or > 250) throw new SsdInputException($"objects: must be 0–250, got {Objects}");
        if (!(NetworkSize.Min >= 4 && NetworkSize.Max >= NetworkSize.Min)) throw new SsdInputException($"object size: need 4 ≤ min ≤ max, got {NetworkSize.Min}–{NetworkSize.Max}");
        if (!(Speed.Min >= 0 && Speed.Max >= Speed.Min)) throw new SsdInputException($"speed: need 0 ≤ min ≤ max, got {Speed.Min}–{Speed.Max}");
        return ImageOptions.Validate();
    }
}
