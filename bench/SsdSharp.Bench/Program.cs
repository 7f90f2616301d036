using SsdSharp.Bench;

// One benchmark mode per first argument; each prints its figures (recorded in docs/benchmarks.md).
return args.FirstOrDefault() switch
{
    "detect" => DetectBenchmark.Run(args[1..]),
    "loader" => LoaderBenchmark.Run(args[1..]),
    "eval" => Completed(() => EvalBench.Run(args[1..])),
    "train" => TrainBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Completed(Action run)
{
    run();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: SsdSharp.Bench <mode> [options]; modes: detect, loader, eval, train");
    return 2;
}
