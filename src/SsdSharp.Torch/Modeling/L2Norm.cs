using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>
/// Channel-wise L2 normalisation with a learned scale per channel (ParseNet), applied to conv4_3
/// because its activations are much larger than those of the deeper sources (SPEC §1):
/// <c>x / (sqrt(Σ_c x²) + 1e-10) · weight[c]</c>.
/// </summary>
public sealed class L2Norm : nn.Module<Tensor, Tensor>
{
    private const double Eps = 1e-10;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    /// <summary>The per-channel scale <c>[C]</c>; state-dict key <c>weight</c>.</summary>
    public Parameter Weight => _weight;

    /// <summary>Creates the layer with every scale set to <paramref name="scale"/> (20 in the reference).</summary>
    public L2Norm(int channels, double scale = 20) : base(nameof(L2Norm))
    {
        _weight = nn.Parameter(full(channels, scale));
        RegisterComponents();
    }

    /// <summary>Normalises <c>[N, C, H, W]</c> over C.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var norm = x.pow(2).sum(1, keepdim: true).sqrt() + Eps;
        return (x / norm * _weight.reshape(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
