using SsdSharp.Matching;
using SsdSharp.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Matching;

/// <summary>One <c>multibox_loss_seed*</c> fixture: a batch of 3 on voc300 priors with the reference's targets and losses.</summary>
internal sealed class ReferenceCase : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    public ReferenceCase(int seed)
    {
        _tensors = Fixtures.LoadTensors($"multibox_loss_seed{seed}.safetensors");
    }

    public Tensor this[string name] => _tensors[name];

    /// <summary>The fixture's truths as <see cref="ImageTargets"/>; its labels are 0-based, ours are class ids (label + 1).</summary>
    public IReadOnlyList<ImageTargets> Targets()
    {
        var list = new List<ImageTargets>();
        for (int b = 0; _tensors.TryGetValue($"targets_{b}", out var t); b++)
        {
            list.Add(new ImageTargets(t[.., ..4].contiguous(), t[.., 4].to(ScalarType.Int64) + 1));
        }
        return list;
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
    }
}
