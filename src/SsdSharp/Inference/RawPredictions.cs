using SsdSharp.Boxes;

namespace SsdSharp.Inference;

/// <summary>
/// The network's raw outputs for a batch (SPEC §1): offsets from the default boxes and class logits.
/// <see cref="Decode"/> turns them into the <see cref="NetworkPredictions"/> that post-processing takes.
/// </summary>
/// <param name="Count">Images in the batch, N.</param>
/// <param name="Loc"><c>[N, P, 4]</c> row-major encoded offsets (SPEC §3).</param>
/// <param name="Conf"><c>[N, P, C]</c> row-major class logits.</param>
public sealed record RawPredictions(int Count, float[] Loc, float[] Conf)
{
    /// <summary>Decodes the boxes against <paramref name="defaultBoxes"/> and turns logits into softmax probabilities.</summary>
    /// <exception cref="ArgumentException">The sizes do not fit the default boxes.</exception>
    public NetworkPredictions Decode(DefaultBoxes defaultBoxes)
    {
        int priors = defaultBoxes.Count;
        if (Loc.Length != Count * priors * 4 || Conf.Length % (Count * priors) != 0)
            throw new ArgumentException($"outputs of {Loc.Length} offsets and {Conf.Length} logits do not fit {Count} image(s) of {priors} default boxes");
        int classes = Conf.Length / (Count * priors);
        var boxes = new float[Loc.Length];
        var scores = new float[Conf.Length];
        Parallel.For(0, Count, n =>
        {
            defaultBoxes.Decode(Loc.AsSpan(n * priors * 4, priors * 4), boxes.AsSpan(n * priors * 4, priors * 4));
            for (int p = 0; p < priors; p++)
            {
                int at = (n * priors + p) * classes;
                Softmax(Conf.AsSpan(at, classes), scores.AsSpan(at, classes));
            }
        });
        return new NetworkPredictions(Count, priors, classes, boxes, scores);
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (var v in logits) max = MathF.Max(max, v);
        float sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = MathF.Exp(logits[i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < logits.Length; i++) probabilities[i] /= sum;
    }
}
