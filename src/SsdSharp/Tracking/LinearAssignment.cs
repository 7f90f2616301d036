namespace SsdSharp.Tracking;

/// <summary>
/// The linear assignment problem (Hungarian method, Kuhn–Munkres, in the O(n²·m) shortest augmenting path form
/// of Jonker and Volgenant): the pairing of rows with columns, each used at most once, of least total cost.
/// </summary>
public static class LinearAssignment
{
    /// <summary>
    /// The cheapest pairing of rows with columns that pairs as many as it can, keeping only pairs whose cost is
    /// at most <paramref name="maxCost"/>. Pairs above it are treated as forbidden: the solver first maximises the
    /// number of allowed pairs, then minimises their cost.
    /// </summary>
    /// <param name="cost"><c>[rows, columns]</c> finite costs (any shape, either side may be 0).</param>
    /// <param name="maxCost">The highest cost a kept pair may have.</param>
    /// <returns>The kept pairs, by ascending row.</returns>
    public static List<(int Row, int Column)> Solve(double[,] cost, double maxCost)
    {
        int rows = cost.GetLength(0), columns = cost.GetLength(1);
        var pairs = new List<(int Row, int Column)>();
        if (rows == 0 || columns == 0) return pairs;
        // A forbidden pair costs more than any full set of allowed ones, so that one more allowed pair always wins.
        double allowedRange = 0;
        foreach (var c in cost)
        {
            if (!double.IsFinite(c)) throw new ArgumentException("costs must be finite", nameof(cost));
            if (c <= maxCost) allowedRange = Math.Max(allowedRange, Math.Abs(c));
        }
        double forbidden = (allowedRange + 1) * (Math.Min(rows, columns) + 1);
        bool transpose = rows > columns;
        int n = transpose ? columns : rows, m = transpose ? rows : columns;
        var a = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double c = transpose ? cost[j, i] : cost[i, j];
                a[i, j] = c <= maxCost ? c : forbidden;
            }
        }
        var columnOfRow = Minimise(a, n, m);
        for (int i = 0; i < n; i++)
        {
            int j = columnOfRow[i];
            var (row, column) = transpose ? (j, i) : (i, j);
            if (cost[row, column] <= maxCost) pairs.Add((row, column));
        }
        pairs.Sort();
        return pairs;
    }

    /// <summary>Every row of <paramref name="a"/> (n ≤ m) paired with a distinct column at least total cost; the column of each row.</summary>
    private static int[] Minimise(double[,] a, int n, int m)
    {
        // Potentials u (rows) and v (columns) keep a[i, j] − u[i] − v[j] ≥ 0; index 0 is a virtual column/row.
        var u = new double[n + 1];
        var v = new double[m + 1];
        var rowOfColumn = new int[m + 1]; // 1-based row paired with column j, 0 when free
        var way = new int[m + 1];
        var minSlack = new double[m + 1];
        var used = new bool[m + 1];
        for (int i = 1; i <= n; i++)
        {
            // Grow a tree of tight edges from row i until it reaches a free column: the shortest augmenting path.
            rowOfColumn[0] = i;
            int column = 0;
            Array.Fill(minSlack, double.PositiveInfinity);
            Array.Fill(used, false);
            do
            {
                used[column] = true;
                int row = rowOfColumn[column], next = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double slack = a[row - 1, j - 1] - u[row] - v[j];
                    if (slack < minSlack[j])
                    {
                        minSlack[j] = slack;
                        way[j] = column;
                    }
                    if (minSlack[j] < delta)
                    {
                        delta = minSlack[j];
                        next = j;
                    }
                }
                for (int j = 0; j <= m; j++)
                {
                    if (used[j])
                    {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minSlack[j] -= delta;
                    }
                }
                column = next;
            }
            while (rowOfColumn[column] != 0);
            // Flip the path's edges: every column on it takes the row before it.
            do
            {
                int previous = way[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            }
            while (column != 0);
        }
        var columnOfRow = new int[n];
        for (int j = 1; j <= m; j++)
        {
            if (rowOfColumn[j] != 0) columnOfRow[rowOfColumn[j] - 1] = j - 1;
        }
        return columnOfRow;
    }
}
