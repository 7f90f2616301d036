using System.Diagnostics;
using CsCheck;

namespace SsdSharp.Tests.Fuzzing;

/// <summary>
/// Feeds a parser mutated inputs and checks each outcome: the parser returns, or throws
/// <see cref="SsdInputException"/> with a one-line message; anything else is a finding: another exception
/// type, no result within <see cref="CaseTimeLimit"/> in two tries (a hang), or more than <see cref="AllocationBudget"/>
/// allocated (unbounded memory from a declared size). Case n of a target is generated from the PCG seed
/// (target stream, n), so every run and every failure reproduces.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Generous for a loaded 2-core machine: a parse takes milliseconds, a hang never ends.</summary>
    public static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>Managed bytes one parse may allocate on its thread: a parse needs a few times its input; a declared size of 2^63 needs more than any budget.</summary>
    public static long AllocationBudget(int inputLength) => (256L << 20) + 64L * inputLength;

    /// <summary>Checks one input; null when the parser accepted or properly refused it, otherwise what went wrong.</summary>
    public static string? Check(Action<byte[]> parse, byte[] input) => Check(parse, input, CaseTimeLimit);

    /// <summary>As <see cref="Check(Action{byte[]}, byte[])"/> with another time limit (FuzzRunnerTests: a hang found in a second).</summary>
    public static string? Check(Action<byte[]> parse, byte[] input, TimeSpan limit)
    {
        // A parse the machine stalled finishes when tried again; one that loops never does (coco-json case 85, which parses at
        // once alone, found no time within the limit once in a clean-clone run of the whole suite on 2 cores).
        var (finished, problem) = Attempt(parse, input, limit);
        if (!finished) (finished, problem) = Attempt(parse, input, limit);
        return finished ? problem : $"hang: no result within {limit.TotalSeconds:0.#} s, twice";
    }

    /// <summary>One parse on a thread of its own: whether it finished within the limit, and what went wrong if it did.</summary>
    private static (bool Finished, string? Problem) Attempt(Action<byte[]> parse, byte[] input, TimeSpan limit)
    {
        Exception? thrown = null;
        long allocated = 0;
        // A thread of its own, not the thread pool: the time limit then starts with the parse, not when a pool thread is free
        // (a case that parses in 43 ms alone once reported a hang while the suite ran beside a training on 2 cores).
        var run = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                parse(input);
            }
            catch (Exception e)
            {
                thrown = e;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true, Name = "fuzz case" };
        run.Start();
        if (!run.Join(limit)) return (false, null);
        if (thrown is SsdInputException refusal)
        {
            if (string.IsNullOrWhiteSpace(refusal.Message) || refusal.Message.Contains('\n'))
                return (true, $"{refusal.GetType().Name} without a one-line message: \"{refusal.Message}\"");
        }
        else if (thrown is not null)
        {
            return (true, $"{thrown.GetType().FullName}: {thrown.Message}\n{thrown.StackTrace}");
        }
        return (true, allocated > AllocationBudget(input.Length) ? $"allocated {allocated:N0} bytes for a {input.Length:N0}-byte input" : null);
    }

    /// <summary>Runs cases <paramref name="first"/>, <paramref name="first"/> + 1, … of a target until <paramref name="cases"/> ran or <paramref name="duration"/> passed.</summary>
    /// <param name="target">The parser.</param>
    /// <param name="first">Number of the first case.</param>
    /// <param name="cases">Most cases to run.</param>
    /// <param name="duration">Longest time to run.</param>
    /// <param name="findings">Folder where each failing input is saved as <c>{target}/case-{n}.bin</c>.</param>
    public static FuzzReport Run(FuzzTarget target, long first, long cases, TimeSpan duration, string findings)
    {
        var work = Path.Combine(Path.GetTempPath(), $"ssd-fuzz-{target.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var seeds = target.Seeds();
            var parse = target.Open(work);
            var generator = FuzzCase.Generator(seeds.Count);
            var failures = new List<FuzzFailure>();
            var clock = Stopwatch.StartNew();
            long n = first;
            for (; n - first < cases && clock.Elapsed < duration; n++)
            {
                var fuzzCase = generator.Generate(new PCG(Stream(target.Name), (ulong)n), null, out _);
                var input = fuzzCase.Build(seeds);
                if (Check(parse, input) is not { } problem) continue;
                var saved = Path.Combine(findings, target.Name, $"case-{n}.bin");
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                File.WriteAllBytes(saved, input);
                failures.Add(new FuzzFailure(n, fuzzCase, problem, saved));
            }
            return new FuzzReport(target.Name, first, n - first, clock.Elapsed, failures);
        }
        finally
        {
            // A hung case may still hold a file open; the folder is then left to the temp cleaner.
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The PCG stream of a target: a stable hash of its name (string.GetHashCode differs per process).</summary>
    private static uint Stream(string name) => name.Aggregate(2166136261u, (hash, c) => (hash ^ c) * 16777619u);
}

/// <summary>One failing case: its number, its recipe, what went wrong and where its input was saved.</summary>
internal sealed record FuzzFailure(long Case, FuzzCase Recipe, string Problem, string SavedInput)
{
    /// <summary>The exception type and the first line of its stack: failures with the same signature are one bug.</summary>
    public string Signature => string.Join(" ", Problem.Split('\n').Where((line, i) => i == 0 || line.TrimStart().StartsWith("at SsdSharp", StringComparison.Ordinal)).Take(2).Select(l => l.Split(':')[0].Trim()));
}

/// <summary>What one run of a target found.</summary>
internal sealed record FuzzReport(string Target, long FirstCase, long Cases, TimeSpan Elapsed, IReadOnlyList<FuzzFailure> Failures)
{
    public string Summary =>
        $"{Target}: {Cases} cases ({FirstCase}…{FirstCase + Cases - 1}) in {Elapsed.TotalSeconds:0.0} s, {Failures.Count} failing"
        + string.Concat(Failures.GroupBy(f => f.Signature).Select(g =>
            $"\n  {g.Count()}× {g.Key}\n    first: case {g.First().Case} ({g.First().Recipe}), input {g.First().SavedInput}\n    {g.First().Problem.Replace("\n", "\n    ")}"));
}
