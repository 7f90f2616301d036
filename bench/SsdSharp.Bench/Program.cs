using SsdSharp.Bench;

return args.FirstOrDefault() switch
{
    "loader" => LoaderBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SsdSharp.Bench <mode> [options]; modes: loader");
    return 2;
}
