namespace SsdSharp.Inference;

/// <summary>
/// What the network says about every default box of a batch, decoded: the input of post-processing,
/// the same whichever backend ran the network.
/// </summary>
/// <param name="Count">Images in the batch, N.</param>
/// <param name="Priors">Default boxes per image, P.</param>
/// <param name="Classes">Classes including background, C.</param>
/// <param name="Boxes"><c>[N, P, 4]</c> row-major: corner form (x1, y1, x2, y2), normalised; clipped to [0, 1] only when the configuration says so (<see cref="Configuration.SsdConfig.ClipDecodedBoxes"/>).</param>
/// <param name="Scores"><c>[N, P, C]</c> row-major: softmax probabilities, class 0 the background.</param>
public sealed record NetworkPredictions(int Count, int Priors, int Classes, float[] Boxes, float[] Scores)
{
    /// <summary>Image <paramref name="n"/>'s boxes, <c>[P, 4]</c>.</summary>
    public ReadOnlySpan<float> BoxesOf(int n) => Boxes.AsSpan(n * Priors * 4, Priors * 4);

    /// <summary>Image <paramref name="n"/>'s scores, <c>[P, C]</c>.</summary>
    public ReadOnlySpan<float> ScoresOf(int n) => Scores.AsSpan(n * Priors * Classes, Priors * Classes);
}
