namespace SsdSharp.Inference;

/// <summary>
/// Picks the k highest scores of many candidates, deterministically: higher score first, and among
/// equal scores the lower index. A candidate is one 64-bit key, score bits above index bits, so that
/// selection and sorting compare plain integers.
/// </summary>
internal static class TopK
{
    /// <summary>The key of <paramref name="score"/> (≥ 0) at <paramref name="index"/> (≥ 0): larger keys rank first.</summary>
    public static long Key(float score, int index) =>
        ((long)BitConverter.SingleToInt32Bits(score) << 32) | (uint)(int.MaxValue - index);

    /// <summary>The score of a key.</summary>
    public static float Score(long key) => BitConverter.Int32BitsToSingle((int)(key >> 32));

    /// <summary>The index of a key.</summary>
    public static int Index(long key) => int.MaxValue - (int)(uint)key;

    /// <summary>The (at most) <paramref name="k"/> largest keys, in descending order; <paramref name="keys"/> is reordered.</summary>
    public static long[] Select(Span<long> keys, int k)
    {
        if (keys.Length > k)
        {
            // Quickselect: afterwards the k largest keys occupy keys[0..k).
            int left = 0, right = keys.Length - 1;
            while (left < right)
            {
                long pivot = keys[(left + right) >>> 1];
                int i = left, j = right;
                while (i <= j)
                {
                    while (keys[i] > pivot) i++;
                    while (keys[j] < pivot) j--;
                    if (i <= j)
                    {
                        (keys[i], keys[j]) = (keys[j], keys[i]);
                        i++;
                        j--;
                    }
                }
                if (k - 1 <= j) right = j;
                else if (k - 1 >= i) left = i;
                else break;
            }
            keys = keys[..k];
        }
        var top = keys.ToArray();
        Array.Sort(top);
        Array.Reverse(top);
        return top;
    }
}
