using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>The real <c>ssd serve</c> process: starts with one command, logs each request, stops cleanly on SIGTERM, serves an <c>.onnx</c> model.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task ServeAnswersLogsEachRequestAndStopsCleanlyOnSigterm()
    {
        var lines = await ServeAndDetect(["--backend", "libtorch", "--device", "cpu"], "libtorch float32 on cpu");
        Assert.Contains(lines, l => l.StartsWith("ssd serve: shapes300 (5 classes) on libtorch float32 on cpu", StringComparison.Ordinal));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"ssd\.serve\[0\] POST /v1/detect 200 \d+\.\d ms$"));
        Assert.Contains(lines, l => l.Contains("Application is shutting down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServeRunsAnOnnxModelOnOnnxRuntimeWithTestTimeAugmentation()
    {
        var onnx = Path.Combine(Directory.CreateTempSubdirectory("ssd-serve-onnx").FullName, "shapes.onnx");
        var export = CliRunner.Run("export", "--weights", BundledDetector.ModelPath, "--output", onnx);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var lines = await ServeAndDetect(["--weights", onnx, "--device", "cpu", "--tta"], "onnxruntime");
        Assert.Contains(lines, l => l.StartsWith("ssd serve: shapes300 (5 classes) on onnxruntime ", StringComparison.Ordinal)
                                    && l.EndsWith("; test-time augmentation by default", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOnnxModelWithLibTorchIsAConflict()
    {
        var onnx = Path.Combine(Directory.CreateTempSubdirectory("ssd-serve-conflict").FullName, "model.onnx");
        File.WriteAllText(onnx, "never read: the conflict is found first");
        var result = CliRunner.Run("serve", "--weights", onnx, "--backend", "libtorch", "--port", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"ssd: error: --weights {onnx}: an ONNX model runs on ONNX Runtime; --backend libtorch does not go with it", result.Stderr.Trim());
    }

    /// <summary>
    /// Starts <c>ssd serve --port 0</c> with <paramref name="options"/>, checks that <c>/v1/model</c> names a
    /// backend starting with <paramref name="backend"/> and that a sample is detected, stops it with SIGTERM
    /// (exit code 0) and returns everything it printed.
    /// </summary>
    private static async Task<string[]> ServeAndDetect(string[] options, string backend)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "ssd.dll"), "serve", "--port", "0" }.Concat(options)) info.ArgumentList.Add(a);
        info.Environment["XDG_CACHE_HOME"] = CliRunner.CacheHome;
        using var process = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
            using var client = new HttpClient { BaseAddress = address };
            var model = JsonNode.Parse(await client.GetStringAsync("/v1/model"))!;
            Assert.StartsWith(backend, model["backend"]!.GetValue<string>());
            var response = await client.PostAsync("/v1/detect?conf=0.5", DetectionApiTests.Jpeg(BundledDetector.Sample(1)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEmpty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detections"]!.AsArray());

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();   // drains the output events
        return output.ToArray();
    }

    [Theory]
    [InlineData("--port", "70000", "port: must be in [0, 65535], got 70000")]
    [InlineData("--max-batch", "0", "--max-batch: must be in [1, 256], got 0")]
    [InlineData("--max-batch", "100000", "--max-batch: must be in [1, 256], got 100000")]
    [InlineData("--max-delay-ms", "NaN", "--max-delay-ms: must be in [0, 10000], got NaN")]
    [InlineData("--max-upload-mb", "-1", "--max-upload-mb: must be in (0, 1024], got -1")]
    [InlineData("--max-upload-mb", "1e6", "--max-upload-mb: must be in (0, 1024], got 1e6")]
    [InlineData("--queue", "0", "--queue: must be in [1, 4096], got 0")]
    [InlineData("--queue", "100000", "--queue: must be in [1, 4096], got 100000")]
    [InlineData("--host", "not a host!", "host: expected an IP address (0.0.0.0 or :: for every interface, IPv6 without brackets) or localhost, got 'not a host!'")]
    public void BadOptionsAreOneLineAndExitCode2(string option, string value, string message)
    {
        var result = CliRunner.Run("serve", option, value);
        Assert.Equal(2, result.ExitCode);
        // Values out of an option's range are refused as the command line is parsed, which points at --help.
        Assert.Matches("^" + Regex.Escape("ssd: error: " + message) + "(; see 'ssd serve --help')?$", result.Stderr.Trim());
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
