namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// The fuzz runner's verdicts on parsers that behave in known ways: the fuzz tests pass only if it calls a hang a hang,
/// a stalled parse not one, and a foreign exception or an unbounded allocation a finding.
/// </summary>
public class FuzzRunnerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(300);
    private static readonly byte[] Input = [1, 2, 3];

    [Fact]
    public void ParseThatNeverReturnsIsAHangAfterTwoTries()
    {
        // A parse blocked for good (as one that loops), released when the test ends so that no thread outlives it.
        using var never = new ManualResetEventSlim();
        var tries = 0;
        try
        {
            var problem = FuzzRunner.Check(_ =>
            {
                Interlocked.Increment(ref tries);
                never.Wait();
            }, Input, Limit);
            Assert.Equal("hang: no result within 0.3 s, twice", problem);
            Assert.Equal(2, Volatile.Read(ref tries));
        }
        finally
        {
            never.Set();
        }
    }

    [Fact]
    public void ParseStalledOnceIsNoFinding()
    {
        // The first try takes longer than the limit (the machine was busy); the second returns at once.
        var tries = 0;
        var problem = FuzzRunner.Check(_ =>
        {
            if (Interlocked.Increment(ref tries) == 1) Thread.Sleep(Limit * 2);
        }, Input, Limit);
        Assert.Null(problem);
        Assert.Equal(2, tries);
    }

    [Fact]
    public void ParseThatReturnsOrRefusesIsNoFinding()
    {
        Assert.Null(FuzzRunner.Check(_ => { }, Input, Limit));
        Assert.Null(FuzzRunner.Check(_ => throw new SsdInputException("labels.json: field \"images\": expected an array"), Input, Limit));
    }

    [Fact]
    public void AnyOtherExceptionIsAFindingWithItsStack()
    {
        var problem = FuzzRunner.Check(_ => throw new IndexOutOfRangeException("index 7"), Input, Limit);
        Assert.NotNull(problem);
        Assert.StartsWith("System.IndexOutOfRangeException: index 7\n", problem);
        Assert.Contains(nameof(AnyOtherExceptionIsAFindingWithItsStack), problem);
    }

    [Fact]
    public void RefusalWithoutAMessageIsAFinding()
    {
        var problem = FuzzRunner.Check(_ => throw new SsdInputException(" "), Input, Limit);
        Assert.Equal("SsdInputException without a one-line message: \" \"", problem);
    }

    [Fact]
    public void AllocationBeyondTheBudgetIsAFinding()
    {
        var budget = FuzzRunner.AllocationBudget(Input.Length);
        var problem = FuzzRunner.Check(_ =>
        {
            // Chunks of 64 MB up to the budget and one more: what a parse trusting a declared size of 2^40 would ask for first.
            for (long taken = 0; taken <= budget; taken += 64 << 20) GC.KeepAlive(new byte[64 << 20]);
        }, Input, Limit * 20);
        Assert.NotNull(problem);
        Assert.StartsWith("allocated ", problem);
        Assert.EndsWith($"bytes for a {Input.Length:N0}-byte input", problem);
    }
}
