using SsdSharp.Tracking;

namespace SsdSharp.Tests.Tracking;

public class LinearAssignmentTests
{
    [Fact]
    public void FindsTheLeastTotalCostOfSmallMatricesAsBruteForceDoes()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            int rows = random.Next(1, 6), columns = random.Next(1, 6);
            var cost = new double[rows, columns];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++) cost[i, j] = Math.Round(random.NextDouble() * 10, 1);
            }
            var pairs = LinearAssignment.Solve(cost, double.MaxValue);
            Assert.Equal(Math.Min(rows, columns), pairs.Count);
            Assert.Equal(pairs.Count, pairs.Select(p => p.Column).Distinct().Count());
            Assert.Equal(BruteForce(cost), pairs.Sum(p => cost[p.Row, p.Column]), 9);
        }
    }

    [Fact]
    public void PairsAsManyAsItCanWithinTheLimitBeforeItLooksAtCost()
    {
        // Row 0 would prefer column 0 (cost 0), but then row 1 (allowed only at column 0) would stay alone.
        double[,] cost = { { 0, 0.5 }, { 0.4, 9 } };
        var pairs = LinearAssignment.Solve(cost, maxCost: 1);
        Assert.Equal([(0, 1), (1, 0)], pairs);
    }

    [Fact]
    public void LeavesOutPairsAboveTheLimitAndEmptySides()
    {
        Assert.Equal([(1, 0)], LinearAssignment.Solve(new double[,] { { 5 }, { 0.2 }, { 3 } }, maxCost: 1));
        Assert.Empty(LinearAssignment.Solve(new double[0, 3], maxCost: 1));
        Assert.Empty(LinearAssignment.Solve(new double[,] { { 2, 3 } }, maxCost: 1));
    }

    private static double BruteForce(double[,] cost)
    {
        int rows = cost.GetLength(0), columns = cost.GetLength(1);
        double best = double.MaxValue;
        void Search(int row, bool[] used, double sum, int paired)
        {
            if (row == rows)
            {
                if (paired == Math.Min(rows, columns)) best = Math.Min(best, sum);
                return;
            }
            // A row may stay unpaired only when there are more rows than columns.
            if (rows > columns) Search(row + 1, used, sum, paired);
            for (int j = 0; j < columns; j++)
            {
                if (used[j]) continue;
                used[j] = true;
                Search(row + 1, used, sum + cost[row, j], paired + 1);
                used[j] = false;
            }
        }
        Search(0, new bool[columns], 0, 0);
        return best;
    }
}
