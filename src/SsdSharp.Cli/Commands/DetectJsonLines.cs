using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SsdSharp.Bulk;
using SsdSharp.Inference;
using SsdSharp.IO;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd detect --format jsonl</c>: detection over very many files as a batch job (docs/scale.md): one line
/// per image as it is done, the shard of a scheduler's array, resumable after a kill.
/// </summary>
internal sealed class DetectJsonLines
{
    /// <summary>How often a progress line is printed (a batch job's log is no terminal).</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    private readonly Option<bool> _resume = new("--resume")
    {
        Description = "With --format jsonl --output FILE: continue FILE, skipping the images it has a line for (an incomplete last line is redone); start it when missing.",
    };

    private readonly Option<string?> _shard = new("--shard")
    {
        Description = "With --format jsonl: detect only shard INDEX/COUNT of the images (by a hash of their names). " +
                      "Default: from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, SSD_SHARD_COUNT) or a Slurm array (SLURM_ARRAY_TASK_*), else all.",
    };

    private readonly Option<bool> _failOnError = new("--fail-on-error")
    {
        Description = "With --format jsonl: exit with 2 when an image could not be read (by default its error line is its result, and the exit code 0).",
    };

    /// <summary>Adds the options of the jsonl format to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_resume);
        command.Options.Add(_shard);
        command.Options.Add(_failOnError);
    }

    /// <summary>Refuses the jsonl options with another format.</summary>
    public void RefuseWithoutJsonLines(ParseResult parse) =>
        CommandLineErrors.RefuseGiven(parse, [_resume, _shard, _failOnError], name => $"{name} needs --format jsonl");

    /// <summary>Runs the job: the images of the inputs and the shard, without a line in <paramref name="output"/> yet.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="inputs">Image files and folders, as given.</param>
    /// <param name="plan">The command's outputs, with the model's files among its inputs; the images are added.</param>
    /// <param name="output">The output file; standard output when null.</param>
    /// <param name="draw">Whether <c>--draw</c> was given (refused: drawing is no part of a batch job).</param>
    /// <param name="openDetector">Loads the model; not called when no image is left to do.</param>
    public int Run(ParseResult parse, IEnumerable<string> inputs, OutputPlan plan, string? output, bool draw, Func<SsdDetector> openDetector)
    {
        if (draw) throw new SsdInputException("--draw is not available with --format jsonl");
        bool resume = parse.GetValue(_resume);
        if (resume && output is null) throw new SsdInputException("--resume needs --output FILE");
        var images = Images(inputs);
        // Before the model loads, and before a resumed file is read: it may not be an image, a folder, or out of reach.
        plan.Reads(images.Select(i => i.Path));
        if (output != null)
        {
            plan.File("--output", output);
            if (!resume && File.Exists(output))
                throw new SsdInputException($"{output}: exists already; --resume continues it (skipping the images it has), or choose another --output");
        }
        var shard = ShardOf(parse);

        using var lines = output is null ? JsonLinesOutput.To(Console.OpenStandardOutput())
            : resume ? JsonLinesOutput.Resume(output) : JsonLinesOutput.Create(output);
        if (lines.DroppedBytes > 0)
            Note($"{output}: dropped its incomplete last line ({lines.DroppedBytes} bytes); that image is done again");
        var job = BulkDetection.Plan(images, shard, lines);
        if (job.ForeignLines > 0)
            Note($"warning: {job.ForeignLines} line(s) of {output} name images outside shard {shard} of these inputs (written by another shard or with other inputs?); they are kept");

        BulkDetectionSummary summary;
        if (job.Pending.Count == 0)
        {
            summary = job.NothingToDo();
        }
        else
        {
            using var detector = openDetector();
            summary = job.Run(detector,
                (image, error) => Note($"{image.Path}: {error.Reason} (its line is an error)"),
                new ProgressLines(job.Pending.Count));
        }
        Note($"shard {shard}: {summary}");
        return parse.GetValue(_failOnError) && summary.Errors > 0 ? CommandRunner.InputError : 0;
    }

    private Shard ShardOf(ParseResult parse)
    {
        if (parse.GetValue(_shard) is { } text) return Shard.Parse(text, "--shard");
        if (SchedulerShard.FromEnvironment() is not { } scheduled) return Shard.All;
        Note($"shard {scheduled.Shard} from {scheduled.Source}");
        return scheduled.Shard;
    }

    /// <summary>The images of the inputs with their names in the output: relative to the folder they were found in, or as given.</summary>
    private static List<BulkImage> Images(IEnumerable<string> inputs) =>
        inputs.SelectMany(input => Directory.Exists(input)
            ? ImageInputs.Expand([input]).Select(path => BulkImage.InFolder(input, path))
            : ImageInputs.Expand([input]).Select(BulkImage.AsGiven)).ToList();

    // Plain lines, never wrapped or coloured: in a batch job stderr is a log file.
    private static void Note(string message) => Console.Error.WriteLine($"ssd: {message}");

    /// <summary>A line now and then: images done, of how many, and the pace so far.</summary>
    private sealed class ProgressLines(int total) : IProgress<int>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _next = ProgressEvery;

        public void Report(int done)
        {
            if (_clock.Elapsed < _next || done == total) return;
            _next = _clock.Elapsed + ProgressEvery;
            Note(string.Create(CultureInfo.InvariantCulture, $"{done} of {total} image(s), {done / _clock.Elapsed.TotalSeconds:F1} images/s"));
        }
    }
}
