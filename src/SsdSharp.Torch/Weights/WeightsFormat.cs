namespace SsdSharp.Weights;

/// <summary>Where a network's weights come from (<see cref="ImportedWeights"/>).</summary>
public enum WeightsFormat
{
    /// <summary>An SsdSharp model file: safetensors with the configuration embedded.</summary>
    ModelFile,

    /// <summary>An ssd.pytorch checkpoint (<c>.pth</c>): the reference's keys, no configuration.</summary>
    SsdPytorch,

    /// <summary>A torchvision SSD300 checkpoint (<c>.pth</c>): its configuration follows from its keys and head.</summary>
    Torchvision,
}
