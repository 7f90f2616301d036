using SsdSharp.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SsdSharp.Modeling;

/// <summary>
/// The SSD network (SPEC §1): VGG base, L2Norm on conv4_3, extra layers and the multibox heads.
/// Submodule names equal the reference's state-dict keys (<c>vgg.{i}</c>, <c>L2Norm</c>,
/// <c>extras.{i}</c>, <c>loc.{k}</c>, <c>conf.{k}</c>), so its checkpoints map one to one.
/// Default boxes are not part of the module.
/// </summary>
public sealed class SsdNetwork : nn.Module<Tensor, (Tensor Loc, Tensor Conf)>
{
    [ComponentName(Name = "vgg")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _vgg;

    [ComponentName(Name = "L2Norm")]
    private readonly L2Norm _l2Norm;

    [ComponentName(Name = "extras")]
    private readonly ModuleList<Conv2d> _extras;

    [ComponentName(Name = "loc")]
    private readonly ModuleList<Conv2d> _loc;

    [ComponentName(Name = "conf")]
    private readonly ModuleList<Conv2d> _conf;

    private readonly int _conv4_3Index;

    // Whether oneDNN's gradients agreed with libtorch's own in the first Backward on the CPU; null until compared.
    // Where they did not, the forward pass still appends the zero filters that only oneDNN needs: a step then computes
    // bit for bit as the comparing one did, so a run's steps stay repeatable.
    private bool? _oneDnnGradientsAgree;

    /// <summary>The configuration the network was built from.</summary>
    public SsdConfig Config { get; }

    /// <summary>Builds the network with libtorch's default initialisation; load weights or call <see cref="Initialize"/>.</summary>
    public SsdNetwork(SsdConfig config) : base("SSD")
    {
        LibTorchContext.DisableNnpack();
        Config = config.Validate();
        var layout = config.Layout;
        _vgg = nn.ModuleList(VggBase.Create(config, out _conv4_3Index).ToArray());
        _l2Norm = new L2Norm(layout.SourceChannels[0]);

        var extras = new List<Conv2d>();
        int channels = config.FcChannels;
        foreach (var e in config.Extras)
        {
            extras.Add(nn.Conv2d(channels, e.OutChannels, e.Kernel, stride: e.Stride, padding: e.Padding));
            channels = e.OutChannels;
        }
        _extras = nn.ModuleList(extras.ToArray());

        var boxes = config.BoxesPerLocation;
        var sourceChannels = layout.SourceChannels;
        _loc = nn.ModuleList(sourceChannels.Select((c, k) => nn.Conv2d(c, boxes[k] * 4, 3, padding: 1)).ToArray());
        _conf = nn.ModuleList(sourceChannels.Select((c, k) => nn.Conv2d(c, boxes[k] * config.NumClasses, 3, padding: 1)).ToArray());
        RegisterComponents();
    }

    /// <summary>
    /// Runs the network on <c>[N, 3, S, S]</c> preprocessed images (SPEC §1). Returns
    /// <c>loc [N, P, 4]</c> (encoded offsets) and <c>conf [N, P, classes]</c> (raw logits), P the number of default boxes.
    /// </summary>
    public override (Tensor Loc, Tensor Conf) forward(Tensor x) => Forward(x, null);

    /// <summary>
    /// <see cref="forward"/> that also reports every layer's output to <paramref name="observe"/>
    /// (name as in the state dict, the module, its output), e.g. for <see cref="NetworkSummary"/>.
    /// </summary>
    public (Tensor Loc, Tensor Conf) Forward(Tensor x, Action<string, nn.Module, Tensor>? observe)
    {
        using var scope = NewDisposeScope();
        var sources = new List<Tensor>();
        for (int i = 0; i < _vgg.Count; i++)
        {
            x = _vgg[i] is Conv2d conv ? OneDnnConvolutions.Convolve(conv, x) : _vgg[i].call(x);
            observe?.Invoke($"vgg.{i}", _vgg[i], x);
            if (i == _conv4_3Index)
            {
                var s = _l2Norm.call(x);
                observe?.Invoke("L2Norm", _l2Norm, s);
                sources.Add(s);
            }
        }
        sources.Add(x);
        for (int i = 0; i < _extras.Count; i++)
        {
            x = nn.functional.relu(OneDnnConvolutions.Convolve(_extras[i], x));
            observe?.Invoke($"extras.{i}", _extras[i], x);
            if (i % 2 == 1) sources.Add(x);
        }

        long n = x.shape[0];
        var locs = new List<Tensor>();
        var confs = new List<Tensor>();
        for (int k = 0; k < sources.Count; k++)
        {
            var l = OneDnnConvolutions.Convolve(_loc[k], sources[k]);
            var c = OneDnnConvolutions.Convolve(_conf[k], sources[k]);
            observe?.Invoke($"loc.{k}", _loc[k], l);
            observe?.Invoke($"conf.{k}", _conf[k], c);
            // Permute output from (N, A*K, H, W) to (N, H, W, A*K) so that flattening orders boxes by row, column, box.
            locs.Add(l.permute(0, 2, 3, 1).reshape(n, -1));
            confs.Add(c.permute(0, 2, 3, 1).reshape(n, -1));
        }
        var loc = cat(locs, 1).view(n, -1, 4);
        var conf = cat(confs, 1).view(n, -1, Config.NumClasses);
        return (loc.MoveToOuterDisposeScope(), conf.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Computes the gradients of <paramref name="loss"/>, a scalar of this network's outputs in training mode
    /// (<c>loss.backward()</c>), right on CPUs where oneDNN's are wrong (<see cref="OneDnnConvolutions"/>): the
    /// forward pass has padded the channels of the convolutions concerned, so oneDNN stays on where that suffices.
    /// On the CPU in float32 the first call runs the backward pass twice, with and without oneDNN, and where they disagree
    /// this network's backward passes run without oneDNN from then on (unless <see cref="OneDnnConvolutions.EnvironmentVariable"/>
    /// is set: <c>1</c> keeps oneDNN, <c>0</c> never uses it backward).
    /// </summary>
    public void Backward(Tensor loss)
    {
        if (_oneDnnGradientsAgree == false || OneDnnConvolutions.BackwardRemedies.HasFlag(OneDnnRemedies.BackwardWithoutOneDnn))
        {
            OneDnnConvolutions.BackwardWithoutOneDnn(loss);
        }
        else if (_oneDnnGradientsAgree is null && loss.device_type == DeviceType.CPU && loss.dtype == ScalarType.Float32 && LibTorchContext.Available
                 && OneDnnConvolutions.ComparesFirstBackward)
        {
            _oneDnnGradientsAgree = OneDnnConvolutions.BackwardAgreesWithoutOneDnn(loss, [.. named_parameters()], BiasesBeforeBatchNorm());
        }
        else
        {
            loss.backward();
        }
    }

    /// <summary>The names of the biases of convolutions followed by batch norm, which cancels them: their true gradient is zero.</summary>
    internal HashSet<string> BiasesBeforeBatchNorm() =>
        [.. Enumerable.Range(0, _vgg.Count - 1).Where(i => _vgg[i] is Conv2d && _vgg[i + 1] is BatchNorm2d).Select(i => $"vgg.{i}.bias")];

    /// <summary>
    /// The reference's initialisation for training: Xavier-uniform weights and zero biases in the
    /// extras and heads (and in the base, which a pretrained VGG usually overwrites), L2Norm scale 20,
    /// batch-norm scale 1 and shift 0. Draws from libtorch's global generator: seed it with
    /// <c>torch.manual_seed</c> for a reproducible start.
    /// </summary>
    public void Initialize()
    {
        using var _ = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.xavier_uniform_(conv.weight!);
                    conv.bias?.zero_();
                    break;
                case BatchNorm2d bn:
                    bn.weight?.fill_(1);
                    bn.bias?.zero_();
                    break;
            }
        }
        _l2Norm.Weight.fill_(20);
    }
}
