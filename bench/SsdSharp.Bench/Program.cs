using SsdSharp.Bench;

// One benchmark mode per first argument; each prints its figures (see docs/benchmarks.md).
switch (args.FirstOrDefault())
{
    case "eval":
        EvalBench.Run(args[1..]);
        return 0;
    default:
        Console.Error.WriteLine("usage: SsdSharp.Bench <mode> [arguments]; modes: eval");
        return 2;
}
