using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Data;
using SsdSharp.Loss;
using SsdSharp.Matching;
using SsdSharp.Modeling;
using SsdSharp.Preprocessing;
using static TorchSharp.torch;

namespace SsdSharp.Explaining;

/// <summary>
/// Works a <see cref="MatchExplanation"/> out with the training code itself: <see cref="PriorMatcher"/> for the
/// positives and <see cref="MultiBoxLoss.MineHardNegatives"/> on the network's output for the hard negatives, on the
/// image as the network sees it without augmentation.
/// </summary>
public static class MatchExplainer
{
    /// <summary>Matches <paramref name="image"/>'s objects to <paramref name="config"/>'s default boxes.</summary>
    /// <param name="config">The configuration (the network's, when <paramref name="network"/> is given).</param>
    /// <param name="image">The image and its objects as training reads them.</param>
    /// <param name="threshold">The matching IoU threshold (0.5 in the reference).</param>
    /// <param name="network">A network whose confidences rank the negatives; null: no mining.</param>
    /// <param name="negativesPerPositive">Mined negatives per positive (3 in the reference).</param>
    public static MatchExplanation Explain(SsdConfig config, ImageAnnotation image, double threshold = 0.5, SsdNetwork? network = null,
        int negativesPerPositive = 3)
    {
        if (network != null && network.Config.NumPriors != config.NumPriors)
            throw new ArgumentException($"the network has {network.Config.NumPriors} default boxes, the configuration {config.NumPriors}", nameof(network));
        var defaultBoxes = DefaultBoxes.For(config);
        var index = PriorIndex.For(config);
        var truths = image.Objects.Select(o => new PixelBox(o.X1 / image.Width, o.Y1 / image.Height, o.X2 / image.Width, o.Y2 / image.Height)).ToArray();

        using var scope = NewDisposeScope();
        var matcher = new PriorMatcher(defaultBoxes, threshold);
        var targets = new ImageTargets(
            tensor(truths.SelectMany(b => new[] { b.X1, b.Y1, b.X2, b.Y2 }).ToArray(), [truths.Length, 4]),
            tensor(image.Objects.Select(o => (long)o.ClassId).ToArray()));
        using var matched = matcher.Match([targets]);
        var labels = HostCopy.ToArray<long>(matched.Labels);
        var assigned = HostCopy.ToArray<long>(matched.Truths!);

        var priors = Enumerable.Range(0, index.Count).Select(p =>
        {
            var (x1, y1, x2, y2) = defaultBoxes.CornersOf(p);
            return new PixelBox(x1, y1, x2, y2);
        }).ToArray();
        var positives = new List<MatchedPrior>();
        for (int p = 0; p < labels.Length; p++)
        {
            if (labels[p] <= 0) continue;
            int t = (int)assigned[p];
            double iou = PixelBox.Iou(priors[p], truths[t]);
            positives.Add(new MatchedPrior(p, index.SourceOf(p), t, iou, iou < threshold));
        }
        var bestIous = truths.Select(t => priors.Max(p => PixelBox.Iou(p, t))).ToList();

        List<(int, int)>? negatives = null;
        if (network != null)
        {
            using var noGrad = no_grad();
            network.eval();
            var input = Preprocess.ToNetworkInput(RgbImage.Decode(image.ImagePath), NetworkInputFormat.From(network.Config));
            var (_, conf) = network.call(tensor(input, [1, 3, config.InputSize, config.InputSize]));
            var mined = HostCopy.ToArray<bool>(new MultiBoxLoss(negativesPerPositive).MineHardNegatives(conf, matched));
            negatives = Enumerable.Range(0, mined.Length).Where(p => mined[p]).Select(p => (p, index.SourceOf(p))).ToList();
        }
        return new MatchExplanation(image, threshold, positives, bestIous, negatives, negativesPerPositive);
    }
}
