namespace SsdSharp.Data;

/// <summary>Counts of values in consecutive bins [Edges[i], Edges[i + 1]); the last bin is open above.</summary>
/// <param name="Edges">Lower edge of each bin, ascending.</param>
/// <param name="Counts">Values in each bin.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts)
{
    /// <summary>Counts <paramref name="values"/> into bins starting at <paramref name="edges"/> (values below the first edge go to the first bin).</summary>
    public static Histogram Of(IEnumerable<double> values, IReadOnlyList<double> edges)
    {
        var counts = new int[edges.Count];
        foreach (var v in values)
        {
            int bin = edges.Count - 1;
            while (bin > 0 && v < edges[bin]) bin--;
            counts[bin]++;
        }
        return new Histogram(edges, counts);
    }

    /// <summary>Bin labels such as <c>16–32</c> and <c>≥ 256</c>.</summary>
    public IReadOnlyList<string> Labels(Func<double, string> format) =>
        Edges.Select((e, i) => i + 1 < Edges.Count ? $"{format(e)}–{format(Edges[i + 1])}" : $"≥ {format(e)}").ToArray();
}
