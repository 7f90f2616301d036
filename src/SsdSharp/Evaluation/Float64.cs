namespace SsdSharp.Evaluation;

/// <summary>Constants of double arithmetic that the reference tools use by their NumPy names.</summary>
internal static class Float64
{
    /// <summary>NumPy's <c>np.finfo(np.float64).eps</c> and <c>np.spacing(1)</c>: the gap between 1 and the next double.</summary>
    public static readonly double Epsilon = Math.BitIncrement(1.0) - 1.0;
}
