using SsdSharp.Configuration;
using SsdSharp.Modeling;

namespace SsdSharp.Weights;

/// <summary>An <see cref="SsdNetwork"/> to and from an SsdSharp model file (<see cref="ModelFile"/>).</summary>
public static class NetworkFile
{
    /// <summary>Writes the network's weights and configuration (atomically).</summary>
    /// <param name="network">The network whose weights are written.</param>
    /// <param name="path">The model file to write.</param>
    /// <param name="config">The configuration written (default the network's); it must describe the same network, e.g. the network's with the recipe of the run that trained it.</param>
    public static void Save(SsdNetwork network, string path, SsdConfig? config = null) =>
        ModelFile.Save(path, config ?? network.Config, HostTensors.StateDictOf(network));

    /// <summary>Builds the network described by a model file and loads its weights.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="config">Overrides the embedded configuration, e.g. to rename classes; it must describe the same network.</param>
    /// <exception cref="WeightsException">The file cannot be used; the message names it.</exception>
    public static SsdNetwork Load(string path, SsdConfig? config = null)
    {
        var (embedded, stateDict) = ModelFile.Load(path);
        if (config is not null) ModelWeights.CheckSameNetwork(config, embedded, path);
        return StateDictLoader.NetworkOf(config ?? embedded, stateDict, path);
    }
}
