using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace SsdSharp.Bench;

/// <summary>
/// <c>serve [--clients 16] [--seconds 60] [--batch 8] [--delay-ms 5] [--queue 64] [--images DIR] [--detect-images 320]
/// [--weights MODEL] [--backend auto] [--tta]</c>: the load test of <c>ssd serve</c> (issue 14). Starts the real service on a
/// loopback port with the model (default: the bundled one) on the CPU, runs N clients that each post the images one after the other for T seconds, and reports
/// requests per second, latency percentiles, errors, the batch sizes the service formed, and its resident
/// memory at the start, after the first 100 requests, at each quarter of the run and at the end. In the same run, before and after,
/// it times <c>ssd detect</c> on the same images with the same model, backend and batch size: the difference of
/// a run over many copies and a run over one batch, so that process start and model loading cancel out. A first,
/// untimed <c>ssd detect</c> settles <c>--backend auto</c>'s choice in the cache that every later run reads, so that
/// the service and <c>ssd detect</c> run the same path and no timed run includes auto's timing. <c>--tta</c> runs both with
/// test-time augmentation (<c>ssd serve --tta</c>, whose requests then queue each image and its mirror image, against
/// <c>ssd detect --tta</c>; the service's <c>--max-batch</c> is then twice <c>--batch</c>, so that both forward passes hold
/// <c>--batch</c> images and their mirror images).
/// </summary>
internal static partial class ServeLoadTest
{
    public static int Run(string[] args)
    {
        int clients = int.Parse(BenchArguments.Option(args, "--clients") ?? "16", CultureInfo.InvariantCulture);
        int seconds = int.Parse(BenchArguments.Option(args, "--seconds") ?? "60", CultureInfo.InvariantCulture);
        int batch = int.Parse(BenchArguments.Option(args, "--batch") ?? "8", CultureInfo.InvariantCulture);
        string delay = BenchArguments.Option(args, "--delay-ms") ?? "5";
        string queue = BenchArguments.Option(args, "--queue") ?? "64";
        int detectImages = int.Parse(BenchArguments.Option(args, "--detect-images") ?? "320", CultureInfo.InvariantCulture);
        string images = BenchArguments.Option(args, "--images") ?? Path.Combine(AppContext.BaseDirectory, "samples");
        bool tta = BenchArguments.Flag(ref args, "--tta");
        string[] model = [.. BenchArguments.Option(args, "--weights") is { } weights ? new[] { "--weights", weights } : [],
            "--backend", BenchArguments.Option(args, "--backend") ?? "auto", "--device", "cpu", .. tta ? new[] { "--tta" } : []];
        var files = Directory.GetFiles(images, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new ArgumentException($"no .jpg images in {images}");

        Console.WriteLine($"CPU: {CpuModel()}, {Environment.ProcessorCount} cores; load average at start: {LoadAverage()}");
        Console.WriteLine($"images: {string.Join(", ", files.Select(Path.GetFileName))}; {clients} clients × {seconds} s; batch {batch}, delay {delay} ms, queue {queue}");
        Console.WriteLine($"model: {string.Join(' ', model)}");
        Settle(files[0], model);
        double detectBefore = DetectThroughput(files, batch, detectImages, model);
        Console.WriteLine($"ssd detect --batch {batch}, before: {detectBefore:F1} images/s");
        // With --tta the service's --max-batch counts network inputs (each image and its mirror image), ssd detect's --batch images.
        var load = LoadAsync(files, clients, seconds, (tta ? 2 : 1) * batch, delay, queue, model).GetAwaiter().GetResult();
        double detectAfter = DetectThroughput(files, batch, detectImages, model);
        Console.WriteLine($"ssd detect --batch {batch}, after: {detectAfter:F1} images/s");
        double detect = (detectBefore + detectAfter) / 2;
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| requests (errors) | {load.Requests} ({load.Errors}) |");
        Console.WriteLine($"| throughput, whole run | {load.Requests / load.Seconds:F1} requests/s |");
        Console.WriteLine($"| throughput after the first 100 requests | **{load.SteadyRate:F1} requests/s** |");
        Console.WriteLine($"| ssd detect --batch {batch} (before / after / mean) | {detectBefore:F1} / {detectAfter:F1} / {detect:F1} images/s |");
        Console.WriteLine($"| service ÷ ssd detect | **{load.SteadyRate / detect:F2}** (goal ≥ 0.80) |");
        Console.WriteLine($"| latency p50 / p95 / p99 / max | {load.Percentile(0.50):F0} / {load.Percentile(0.95):F0} / {load.Percentile(0.99):F0} / {load.Percentile(1):F0} ms |");
        Console.WriteLine($"| batch sizes (forward passes) | {load.Batches} |");
        Console.WriteLine($"| resident memory: ready / after 100 requests / end / max | {load.RssReady:F0} / {load.Rss100:F0} / {load.RssEnd:F0} / {load.RssMax:F0} MB |");
        Console.WriteLine($"| end ÷ after 100 requests | **{load.RssEnd / load.Rss100:F3}** (goal within 1 ± 0.10) |");
        Console.WriteLine($"| resident memory at ¼ / ½ / ¾ of the run / end | {string.Join(" / ", load.RssQuarters.Select(r => r.ToString("F0")))} / {load.RssEnd:F0} MB |");
        Console.WriteLine($"| end ÷ half-way (growth in the second half) | {load.RssEnd / load.RssQuarters[1]:F3} |");
        Console.WriteLine($"| load average at the end | {LoadAverage()} |");
        return load.Errors == 0 ? 0 : 1;
    }

    private sealed record LoadResult(long Requests, long Errors, double Seconds, double SteadyRate, double[] LatenciesMs, string Batches,
        double RssReady, double Rss100, double RssEnd, double RssMax, double[] RssQuarters)
    {
        public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[(int)Math.Min(LatenciesMs.Length - 1, Math.Ceiling(p * LatenciesMs.Length) - 1)];
    }

    private static async Task<LoadResult> LoadAsync(string[] files, int clients, int seconds, int maxBatch, string delay, string queue, string[] model)
    {
        using var server = Ssd(["serve", "--port", "0", .. model, "--max-batch", maxBatch.ToString(CultureInfo.InvariantCulture), "--max-delay-ms", delay, "--queue", queue]);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        long logLines = 0;
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            Interlocked.Increment(ref logLines);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        server.ErrorDataReceived += (_, e) => { if (e.Data != null) Console.Error.WriteLine($"  [serve] {e.Data}"); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
            double rssReady = RssMb(server.Id);
            using (var describe = new HttpClient { BaseAddress = address })
                Console.WriteLine($"service backend: {System.Text.Json.Nodes.JsonNode.Parse(await describe.GetStringAsync("/v1/model"))!["backend"]}");
            var bodies = files.Select(File.ReadAllBytes).ToArray();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = address,
                Timeout = TimeSpan.FromMinutes(2),
            };
            long done = 0, errors = 0, steadyStart = 0;
            double rss100 = double.NaN, rssMax = rssReady;
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            var end = TimeSpan.FromSeconds(seconds);
            // Each second the peak, and the first sample past each quarter of the run: growth that stops (allocators and pools
            // reaching their working size under load) shows as a flat second half; a leak grows through it.
            var quarters = new[] { double.NaN, double.NaN, double.NaN };
            using var sampler = new Timer(_ =>
            {
                double r = RssMb(server.Id);
                int passed = Math.Min(quarters.Length, (int)(4 * clock.Elapsed.TotalSeconds / seconds));
                lock (latencies)
                {
                    rssMax = Math.Max(rssMax, r);
                    for (int q = 0; q < passed; q++)
                        if (double.IsNaN(quarters[q])) quarters[q] = r;
                }
            }, null, 1000, 1000);
            async Task Client(int id)
            {
                for (int i = id; clock.Elapsed < end; i += clients)
                {
                    var content = new ByteArrayContent(bodies[i % bodies.Length]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                    long start = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await http.PostAsync("/v1/detect", content);
                        await response.Content.ReadAsByteArrayAsync();
                        if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (Interlocked.Increment(ref done) == 100)
                    {
                        rss100 = RssMb(server.Id);
                        Interlocked.Exchange(ref steadyStart, clock.ElapsedTicks);
                    }
                }
            }
            await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => Client(i))));
            double elapsed = clock.Elapsed.TotalSeconds;
            double steadySeconds = elapsed - TimeSpan.FromTicks((long)(Interlocked.Read(ref steadyStart) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency))).TotalSeconds;
            double rssEnd = RssMb(server.Id);
            var metrics = await http.GetStringAsync("/metrics");
            Console.WriteLine($"service log lines: {Interlocked.Read(ref logLines)}");
            var sorted = latencies.ToArray();
            Array.Sort(sorted);
            // Fewer than 100 requests in all: no steady state to report.
            double steadyRate = done > 100 ? (done - 100) / steadySeconds : double.NaN;
            lock (latencies)
                return new LoadResult(done, errors, elapsed, steadyRate, sorted, BatchSizes(metrics), rssReady, rss100, rssEnd, Math.Max(rssMax, rssEnd), [.. quarters]);
        }
        finally
        {
            using (var term = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)])) term.WaitForExit();
            if (!server.WaitForExit(TimeSpan.FromSeconds(60))) server.Kill(entireProcessTree: true);
            Console.WriteLine($"service exit code after SIGTERM: {server.ExitCode}");
        }
    }

    /// <summary>"size×count" of the forward passes, from the cumulative buckets of <c>ssd_batch_size</c>.</summary>
    private static string BatchSizes(string metrics)
    {
        var cumulative = BucketLine().Matches(metrics).Select(m => (Size: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Count: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray();
        var parts = new List<string>();
        long previous = 0;
        foreach (var (size, count) in cumulative)
        {
            if (count > previous) parts.Add($"{size}: {count - previous}");
            previous = count;
        }
        return string.Join(", ", parts);
    }

    /// <summary>Images per second of <c>ssd detect</c>, process start and model loading excluded (see the class summary).</summary>
    private static double DetectThroughput(string[] files, int batch, int images, string[] model)
    {
        var many = Directory.CreateTempSubdirectory("ssd-serve-bench-many");
        var one = Directory.CreateTempSubdirectory("ssd-serve-bench-one");
        try
        {
            // Copies, not links: ssd detect reads a file reached by two paths once, so 320 links to three files
            // would be three images.
            for (int i = 0; i < images; i++) File.Copy(files[i % files.Length], Path.Combine(many.FullName, $"{i:D5}.jpg"));
            for (int i = 0; i < batch; i++) File.Copy(files[i % files.Length], Path.Combine(one.FullName, $"{i:D5}.jpg"));
            double TimeOf(DirectoryInfo folder)
            {
                var clock = Stopwatch.StartNew();
                RunDetect(["--batch", batch.ToString(CultureInfo.InvariantCulture), "--output", Path.Combine(folder.FullName, "out.json"), folder.FullName], model);
                return clock.Elapsed.TotalSeconds;
            }
            double small = TimeOf(one), large = TimeOf(many);
            return (images - batch) / (large - small);
        }
        finally
        {
            many.Delete(recursive: true);
            one.Delete(recursive: true);
        }
    }

    /// <summary>An untimed <c>ssd detect</c> of one image: auto's choice is made and cached, the files are in the page cache.</summary>
    private static void Settle(string image, string[] model)
    {
        var folder = Directory.CreateTempSubdirectory("ssd-serve-bench-settle");
        try
        {
            RunDetect(["--output", Path.Combine(folder.FullName, "out.json"), image], model);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void RunDetect(string[] args, string[] model)
    {
        using var detect = Ssd(["detect", .. model, .. args]);
        detect.BeginOutputReadLine();
        detect.BeginErrorReadLine();
        detect.WaitForExit();
        if (detect.ExitCode != 0) throw new InvalidOperationException($"ssd detect exited with {detect.ExitCode}");
    }

    private static Process Ssd(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ssd.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        return Process.Start(info)!;
    }

    private static double RssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"^ssd_batch_size_bucket\{le=""(\d+)""\} (\d+)$", RegexOptions.Multiline)]
    private static partial Regex BucketLine();
}
