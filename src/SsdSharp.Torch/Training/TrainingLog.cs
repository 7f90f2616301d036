using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SsdSharp.Training;

/// <summary>
/// The run's JSON-lines log (<c>train.jsonl</c>): one object per iteration with <c>iteration</c>,
/// <c>loss_l</c>, <c>loss_c</c>, <c>loss</c>, <c>lr</c>, <c>images_per_s</c>, <c>data_wait_share</c>,
/// <c>eta_s</c>, <c>step_s</c>, <c>data_wait_s</c>, plus <c>eval</c> (metric name to value) when the evaluation hook ran.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    /// <summary>File name of the log in the output directory.</summary>
    public const string FileName = "train.jsonl";

    private readonly StreamWriter _writer;

    /// <summary>Opens the log of <paramref name="directory"/> for appending, first dropping entries after <paramref name="resumeIteration"/>, which a resumed run repeats.</summary>
    public TrainingLog(string directory, long resumeIteration)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        if (File.Exists(Path))
        {
            var kept = File.ReadLines(Path).Where(line => IterationOf(line) is { } i && i <= resumeIteration).ToList();
            File.WriteAllLines(Path, kept);
        }
        _writer = new StreamWriter(Path, append: true) { AutoFlush = true };
    }

    /// <summary>Path of the log file.</summary>
    public string Path { get; }

    /// <summary>Appends one iteration.</summary>
    public void Write(TrainingProgress p)
    {
        var entry = new JsonObject
        {
            ["iteration"] = p.Iteration,
            ["loss_l"] = p.LocalizationLoss,
            ["loss_c"] = p.ConfidenceLoss,
            ["loss"] = p.Loss,
            ["lr"] = p.LearningRate,
            ["images_per_s"] = Math.Round(p.ImagesPerSecond, 3),
            ["data_wait_share"] = Math.Round(p.DataWaitShare, 4),
            ["eta_s"] = Math.Round(p.Remaining.TotalSeconds),
            ["step_s"] = Math.Round(p.StepSeconds, 4),
            ["data_wait_s"] = Math.Round(p.DataWaitSeconds, 4),
        };
        if (p.Evaluation is { } metrics)
        {
            var eval = new JsonObject();
            // JSON has no NaN: a metric that is undefined (no ground truth) is written as null.
            foreach (var (name, value) in metrics) eval[name] = double.IsFinite(value) ? value : null;
            entry["eval"] = eval;
        }
        _writer.WriteLine(entry.ToJsonString());
    }

    /// <summary>Reads the (iteration, loss_l, loss_c) entries of a log, in file order.</summary>
    public static IReadOnlyList<(long Iteration, double LocalizationLoss, double ConfidenceLoss)> ReadLosses(string path) =>
        File.ReadLines(path)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Select(o => (o["iteration"]!.GetValue<long>(), o["loss_l"]!.GetValue<double>(), o["loss_c"]!.GetValue<double>()))
            .ToList();

    private static long? IterationOf(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["iteration"]?.GetValue<long>();
        }
        catch (JsonException)
        {
            // A line cut short by a crash is dropped.
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
