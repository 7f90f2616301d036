using SsdSharp.Configuration;
using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>Default (prior) boxes of SPEC §2.</summary>
public static class PriorBoxes
{
    /// <summary>
    /// The default boxes of a configuration: <c>[P, 4]</c> float32, centre form (cx, cy, w, h),
    /// normalised, ordered by source, row, column, then box (1, 1', then r and 1/r per ratio).
    /// </summary>
    public static Tensor Create(SsdConfig config, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var perSource = new List<Tensor>();
        double size = config.InputSize;
        for (int k = 0; k < config.FeatureMaps.Count; k++)
        {
            int f = config.FeatureMaps[k];
            double fk = size / config.Steps[k];
            double s = config.MinSizes[k] / size;
            double sPrime = Math.Sqrt(s * (config.MaxSizes[k] / size));
            var shapes = new List<double[]> { new[] { s, s }, new[] { sPrime, sPrime } };
            foreach (var r in config.AspectRatios[k])
            {
                shapes.Add([s * Math.Sqrt(r), s / Math.Sqrt(r)]);
                shapes.Add([s / Math.Sqrt(r), s * Math.Sqrt(r)]);
            }
            // Computed in float64 like the reference's Python floats, then rounded once to float32.
            var centres = (arange(f, dtype: ScalarType.Float64) + 0.5) / fk;
            var grid = meshgrid([centres, centres], indexing: "ij");
            var cy = grid[0].reshape(f * f, 1, 1).expand(f * f, shapes.Count, 1);
            var cx = grid[1].reshape(f * f, 1, 1).expand(f * f, shapes.Count, 1);
            var wh = tensor(shapes.SelectMany(p => p).ToArray(), dtype: ScalarType.Float64)
                .reshape(1, shapes.Count, 2).expand(f * f, shapes.Count, 2);
            perSource.Add(cat([cx, cy, wh], -1).reshape(-1, 4));
        }
        var priors = cat(perSource, 0);
        if (config.Clip) priors = priors.clamp(0, 1);
        return priors.to(ScalarType.Float32, device ?? CPU).MoveToOuterDisposeScope();
    }
}
