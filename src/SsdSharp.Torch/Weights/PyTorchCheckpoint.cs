using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>
/// Reads PyTorch <c>.pth</c> files saved with <c>torch.save(model.state_dict())</c> (zip pickle),
/// such as ssd.pytorch's checkpoints and <c>vgg16_reducedfc.pth</c>.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>The state dict: names to CPU tensors in their stored dtype.</summary>
    /// <exception cref="WeightsException">The file is missing or is not a PyTorch state dict.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: file not found");
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, false, false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsException($"{path}: not a PyTorch state_dict checkpoint ({e.GetType().Name}: {e.Message})", e);
        }
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is not Tensor t)
                throw new WeightsException($"{path}: entry '{entry.Key}' is not a tensor (a whole pickled model rather than a state_dict?)");
            result[(string)entry.Key] = t;
        }
        return result;
    }
}
