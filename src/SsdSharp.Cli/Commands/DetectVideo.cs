using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SsdSharp.Bulk;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Tracking;
using SsdSharp.Video;
using SsdSharp.Weights;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd detect</c> on videos, cameras and streams (and, with <c>--track</c>, folders of frames): a JSON line per
/// detected frame as it is done, the annotated video with <c>--draw</c>, frames per second on stderr (docs/video.md).
/// Ctrl-C or SIGTERM stops after the frame being detected and finishes the video file.
/// </summary>
internal sealed class DetectVideo
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    /// <summary>The score from which untracked detections are drawn into a video unless <c>--draw-threshold</c> says otherwise (all 200 a frame would hide the picture).</summary>
    private const double DefaultDrawThreshold = 0.5;

    private readonly Option<int?> _camera = new("--camera") { Description = "Detect in camera N (/dev/videoN) until stopped (Ctrl-C)." };
    private readonly Option<int> _every = NumericOption.Create("--every", "Video: detect every N-th frame.", new NumberRange<int>(1, FrameSelection.MaxEvery), 1);
    private readonly Option<double> _start = new("--start") { Description = "Video file: start this many seconds in." };
    private readonly Option<double?> _duration = new("--duration") { Description = "Video: stop after this many seconds of it." };
    private readonly Option<double?> _fps = NumericOption.Optional("--fps", "Video: detect at most this many frames per second (for live sources, so that detection keeps up).",
        new NumberRange<double>(VideoWriter.MinFramesPerSecond, VideoWriter.MaxFramesPerSecond));
    private readonly Option<bool> _track = new("--track")
    {
        Description = "Video: follow objects across frames (ByteTrack on SORT's Kalman filter); a track_id per detection, trails in --draw. A folder of images is then taken as consecutive frames in name order.",
    };

    /// <summary>Adds the video options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _camera, _every, _start, _duration, _fps, _track }) command.Options.Add(option);
    }

    /// <summary>Whether this run is about video: a camera, a video file or stream among the inputs, or tracking.</summary>
    /// <exception cref="SsdInputException">Videos and images are mixed, or video options are given for images.</exception>
    public bool Applies(ParseResult parse, IReadOnlyList<string> inputs)
    {
        int videos = inputs.Count(VideoSource.IsVideo);
        if (videos > 0 && videos < inputs.Count)
            throw new SsdInputException("videos and images in one run: detect them in separate runs (videos give JSON Lines per frame)");
        if (parse.GetValue(_camera) != null || videos > 0 || parse.GetValue(_track)) return true;
        CommandLineErrors.RefuseGiven(parse, [_every, _start, _duration, _fps], name => $"{name} needs a video, a camera, or --track");
        return false;
    }

    /// <summary>Detects in each source in turn; a source that cannot be read (or turns out damaged) is named, the others still run, and the exit code is 2.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="inputs">Videos, streams, camera devices, or (with --track) image folders.</param>
    /// <param name="plan">The command's outputs, with the model's files among its inputs; the videos' files are added.</param>
    /// <param name="output">The JSON Lines file; standard output when null.</param>
    /// <param name="drawDir">Where the annotated videos go, if anywhere.</param>
    /// <param name="force">Draw into a folder that holds files ssd did not write (<c>--force</c>).</param>
    /// <param name="drawThreshold">The least score of untracked detections drawn.</param>
    /// <param name="tiles">Tiled detection of each frame, if asked for.</param>
    /// <param name="openDetector">Loads the model.</param>
    public int Run(ParseResult parse, IReadOnlyList<string> inputs, OutputPlan plan, string? output, string? drawDir, bool force, double? drawThreshold,
        TileOptions? tiles, Func<SsdDetector> openDetector)
    {
        var selection = new FrameSelection
        {
            Every = parse.GetValue(_every),
            Start = parse.GetValue(_start),
            Duration = parse.GetValue(_duration),
            MaxFramesPerSecond = parse.GetValue(_fps),
        }.Validate();
        var options = new VideoDetectionOptions { Tracking = parse.GetValue(_track) ? new TrackerOptions() : null, Tiles = tiles };
        var sources = Sources(parse, inputs, selection);
        // Every output is checked before the model loads: none may replace an input (a drawing landing on its video), and each must be writable.
        plan.Reads(sources.SelectMany(s => s.Files));
        if (output != null)
        {
            plan.File("--output", output);
            if (File.Exists(output)) throw new SsdInputException($"--output {output}: exists already; choose another file (the lines of a video are not resumed)");
        }
        var drawings = drawDir is null ? null : Drawings(plan, plan.Folder("--draw", drawDir, force), sources);
        // Before the model loads: a missing FFmpeg is the first thing to hear about.
        if (drawDir != null || parse.GetValue(_camera) != null || inputs.Any(i => !Directory.Exists(i))) _ = (Ffmpeg.FfmpegPath, Ffmpeg.FfprobePath);

        using var stop = new CancellationTokenSource();
        int? signal = null;
        bool failed = false;
        void Stop(int code)
        {
            signal ??= code;
            stop.Cancel();
        }
        ConsoleCancelEventHandler onCancelKey = (_, e) =>
        {
            e.Cancel = true; // finish the files instead of dying
            Stop(130);
        };
        Console.CancelKeyPress += onCancelKey;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Stop(143);
        });
        try
        {
            using var lines = output is null ? JsonLinesOutput.To(Console.OpenStandardOutput()) : JsonLinesOutput.Create(output);
            using var detector = openDetector();
            for (int i = 0; i < sources.Count; i++)
            {
                try
                {
                    DetectOne(detector, sources[i].Open(), lines, options, selection, drawings?[i], drawThreshold ?? DefaultDrawThreshold, stop.Token).GetAwaiter().GetResult();
                }
                catch (SsdInputException e) when (!stop.IsCancellationRequested && e is not WeightsException)
                {
                    // One bad video is that video's problem, as a bad image is: named, and the others still detected.
                    // (A damaged model is every video's: it ends the run, named once.)
                    CommandRunner.WriteError(e.Message);
                    failed = true;
                }
                if (stop.IsCancellationRequested) break;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancelKey;
        }
        // A live source ends only when stopped: that is its normal end; a file cut short says so by the exit code.
        bool live = parse.GetValue(_camera) != null || inputs.All(i => VideoSource.Parse(i).IsLive);
        return signal is { } code && !live ? code : failed ? CommandRunner.InputError : 0;
    }

    /// <summary>The sources, opened one at a time when their turn comes (a probe of a stream takes a while).</summary>
    private List<Source> Sources(ParseResult parse, IReadOnlyList<string> inputs, FrameSelection selection)
    {
        var sources = new List<Source>();
        if (parse.GetValue(_camera) is { } camera)
        {
            var device = VideoSource.Camera(camera);
            sources.Add(new Source(() => new FrameReader(device, selection), device.Name, LocalPath: null, Files: []));
        }
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var frames = ImageInputs.Expand([input]);
                var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
                var name = Path.GetFileName(folder);
                sources.Add(new Source(() => new ImageSequence(name, frames, selection), name, folder, frames));
            }
            else if (VideoSource.IsVideo(input))
            {
                var source = VideoSource.Parse(input);
                bool file = source.Kind == VideoSourceKind.File;
                if (file && !File.Exists(input)) throw new SsdInputException($"{input}: no such file");
                // FFprobe and FFmpeg each read the file from its start: a FIFO would be consumed by the first and wait on the second.
                if (file) InputFile.CheckReadable(input, "a video file");
                sources.Add(new Source(() => new FrameReader(source, selection), source.Name, file ? input : null, file ? [input] : []));
            }
            else
            {
                throw new SsdInputException($"{input}: with --track, give videos or folders of frames (a single image is no video)");
            }
        }
        if (sources.Count == 0) throw new SsdInputException("no video given: name video files, streams, folders of frames, or --camera N");
        return sources;
    }

    /// <summary>
    /// Claims the annotated video of each source in <paramref name="folder"/>: files and folders of frames are named by their
    /// paths, as drawings of images are (<c>a/clip.mp4</c> and <c>b/clip.mp4</c> keep their folders); cameras and streams by
    /// their names.
    /// </summary>
    /// <returns>The path of each source's video, in order.</returns>
    /// <exception cref="SsdInputException">A video would replace an input, or two live sources share a name.</exception>
    private static string[] Drawings(OutputPlan plan, OutputFolder folder, List<Source> sources)
    {
        var local = Enumerable.Range(0, sources.Count).Where(i => sources[i].LocalPath != null).ToList();
        var derived = plan.DerivedFilesIn("--draw", folder, local.Select(i => sources[i].LocalPath!).ToList(), VideoWriter.FileExtension);
        var drawings = new string[sources.Count];
        for (int k = 0; k < local.Count; k++) drawings[local[k]] = derived[k];
        for (int i = 0; i < sources.Count; i++) drawings[i] ??= plan.FileIn("--draw", folder, Path.GetFileNameWithoutExtension(sources[i].Name) + VideoWriter.FileExtension);
        return drawings;
    }

    private static async Task DetectOne(SsdDetector detector, IFrameSource source, JsonLinesOutput lines, VideoDetectionOptions options,
        FrameSelection selection, string? videoPath, double drawThreshold, CancellationToken stop)
    {
        var info = source.Info;
        double drawnFps = Math.Min(info.FramesPerSecond / selection.Every, selection.MaxFramesPerSecond ?? double.MaxValue);
        if (videoPath != null)
        {
            // Known only now that the source is open; FFmpeg would fail on such a size or rate once frames came.
            if (info.Width > VideoWriter.MaxSide || info.Height > VideoWriter.MaxSide)
                throw new SsdInputException($"--draw: {source.Name} is {info.Width}×{info.Height}; an annotated video's sides are at most {VideoWriter.MaxSide}: leave out --draw");
            if (!(drawnFps is >= VideoWriter.MinFramesPerSecond and <= VideoWriter.MaxFramesPerSecond))
                throw new SsdInputException(string.Create(CultureInfo.InvariantCulture,
                    $"--draw: {source.Name} at {info.FramesPerSecond:0.##} frames/s with --every {selection.Every} makes a video of {drawnFps:G3} frames/s; an annotated video plays at {VideoWriter.MinFramesPerSecond} to {VideoWriter.MaxFramesPerSecond} frames/s: choose --every to fit, or leave out --draw"));
        }
        // Made at the first frame: a source that gives none (a --start after its last frame) leaves no empty video behind.
        AnnotatedVideo? annotated = null;
        Note($"{source.Name}: {info.Width}×{info.Height}, {info.FramesPerSecond:0.##} frames/s" + (info.FrameCount is { } n ? $", {n} frames" : "")
             + (source.IsLive ? "; live: Ctrl-C stops" : ""));
        var clock = Stopwatch.StartNew();
        var next = ProgressEvery;
        long frames = 0, last = -1;
        bool drawing = videoPath != null;
        try
        {
            await foreach (var frame in detector.DetectAsync(source, options, stop))
            {
                // Before the frame's line: a video that cannot be made ends the source with no line written for it.
                if (drawing) annotated ??= AnnotatedVideo.Create(videoPath!, info, drawnFps, drawThreshold);
                lines.Write(frame.ToJsonObject());
                if (drawing) drawing = await Add(annotated!, frame, stop);
                frames++;
                last = frame.Frame.Index;
                if (clock.Elapsed >= next)
                {
                    next = clock.Elapsed + ProgressEvery;
                    Note($"{source.Name}: {frames} frame(s), at {Rate(frames, clock)} frames/s");
                }
            }
        }
        finally
        {
            if (drawing && annotated != null) await Finish(annotated, stop);
        }
        Note($"{source.Name}: {frames} frame(s) in {clock.Elapsed.TotalSeconds:F1} s, {Rate(frames, clock)} frames/s (decode, detect{(annotated != null ? ", draw, encode" : "")})"
             + (stop.IsCancellationRequested ? $"; stopped after frame {last}" : ""));
        if (annotated != null) Note($"wrote {annotated.Path} ({annotated.Frames} frames)");
    }

    /// <summary>Queues a frame for the annotated video; false when the encoder stopped with the signal (see <see cref="Finish"/>).</summary>
    private static async Task<bool> Add(AnnotatedVideo annotated, FrameDetections frame, CancellationToken stop)
    {
        try
        {
            await annotated.AddAsync(frame, CancellationToken.None);
            return true;
        }
        catch (IOException) when (stop.IsCancellationRequested)
        {
            await Finish(annotated, stop);
            return false;
        }
    }

    /// <summary>Ends the annotated video. After Ctrl-C, FFmpeg (which gets the terminal's SIGINT too) may have closed the file first: it plays, with the frames it took.</summary>
    private static async Task Finish(AnnotatedVideo annotated, CancellationToken stop)
    {
        try
        {
            await annotated.CompleteAsync();
        }
        catch (IOException e) when (stop.IsCancellationRequested)
        {
            Note($"{annotated.Path}: the encoder stopped with the signal ({e.Message}); the file plays up to its last fragment");
        }
    }

    /// <summary>A source to open when its turn comes, its name, the local file or folder of frames it is (null for a camera or stream), and the files it reads.</summary>
    private sealed record Source(Func<IFrameSource> Open, string Name, string? LocalPath, IReadOnlyList<string> Files);

    private static string Rate(long frames, Stopwatch clock) =>
        (frames / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)).ToString("F1", CultureInfo.InvariantCulture);

    private static void Note(string message) => Console.Error.WriteLine($"ssd: {message}");
}
