using SsdSharp.Bench;

// One benchmark mode per first argument; each prints its figures (recorded in docs/benchmarks.md).
return args.FirstOrDefault() switch
{
    "detect" => DetectBenchmark.Run(args[1..]),
    "loader" => LoaderBenchmark.Run(args[1..]),
    "eval" => EvalBench.Run(args[1..]),
    "train" => TrainBenchmark.Run(args[1..]),
    "gpu" => GpuCheck.Run(args[1..]),
    "serve" => ServeLoadTest.Run(args[1..]),
    "bulk" => BulkBenchmark.Run(args[1..]),
    "video" => VideoBenchmark.Run(args[1..]),
    "tiling" => TilingBenchmark.Run(args[1..]),
    "int8" => Int8Benchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SsdSharp.Bench <mode> [options]; modes: detect, loader, eval, train, gpu, serve, bulk, video, tiling, int8");
    return 2;
}
