using System.Diagnostics;
using SsdSharp.Boxes;
using SsdSharp.Data;
using SsdSharp.Data.Synthetic;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Tracking;
using SsdSharp.Video;

namespace SsdSharp.Bench;

/// <summary>
/// <c>video [FRAMES] [OBJECTS] [SEEDS] [MODEL]</c>: tracking on synthetic videos (docs/video.md). For each seed, a
/// video of moving shapes (640×360) is encoded with FFmpeg, then decoded, detected and tracked through
/// <see cref="VideoDetection.DetectAsync"/>; the tracks are scored with CLEAR MOT against the known paths, and the
/// tracker alone is scored on the true boxes as detections (what it does with perfect detections). Prints frames per
/// second of decode + detect + track.
/// </summary>
internal static class VideoBenchmark
{
    public static int Run(string[] args)
    {
        int frames = args.Length > 0 ? int.Parse(args[0]) : 300;
        int objects = args.Length > 1 ? int.Parse(args[1]) : 8;
        int seeds = args.Length > 2 ? int.Parse(args[2]) : 3;
        var model = args.Length > 3 ? args[3] : BulkBenchmark.BundledModel();
        using var detector = SsdDetector.Load(model, new DetectorOptions { Device = ComputeDevice.Cpu });
        Console.WriteLine($"CPU {CpuInfo.Current.Model}, {Environment.ProcessorCount} cores, load average {Measure.LoadAverage()}; {detector.Backend.Description}");
        Console.WriteLine($"{seeds} video(s) of {frames} frames, {objects} objects each; tracker {new TrackerOptions()}");
        // One scorer per video: object and track ids start again in each.
        var detected = new List<ClearMot>();
        var perfect = new List<ClearMot>();
        var folder = Directory.CreateTempSubdirectory("ssd-bench-video").FullName;
        try
        {
            for (int seed = 1; seed <= seeds; seed++)
            {
                var video = new SyntheticVideo(new SyntheticVideoOptions { Frames = frames, Objects = objects, Seed = seed });
                var path = Path.Combine(folder, $"seed{seed}.mp4");
                var truths = Encode(video, path).GetAwaiter().GetResult();
                var oneVideo = new ClearMot();
                var onTruth = new ClearMot();
                detected.Add(oneVideo);
                perfect.Add(onTruth);
                var clock = Stopwatch.StartNew();
                int done = 0;
                var source = new FrameReader(VideoSource.Parse(path));
                var results = detector.DetectAsync(source, new VideoDetectionOptions { Tracking = new TrackerOptions() }).ToBlockingEnumerable();
                foreach (var frame in results)
                {
                    var hypotheses = frame.Tracks!.Select(t => new TrackHypothesis(t.TrackId, t.Box)).ToList();
                    oneVideo.Add(truths[(int)frame.Frame.Index], hypotheses);
                    done++;
                }
                double fps = done / clock.Elapsed.TotalSeconds;
                var tracker = new ObjectTracker();
                foreach (var truth in truths)
                {
                    var visible = truth.Where(t => !t.Ignored).Select(t => new Detection(1, "object", 0.9f, t.Box)).ToList();
                    var tracked = tracker.Update(visible);
                    onTruth.Add(truth, tracked.Select(t => new TrackHypothesis(t.TrackId, t.Box)).ToList());
                }
                Console.WriteLine($"seed {seed}: {done} frames at {fps:F1} frames/s (decode, detect, track); detector + tracker: {oneVideo}; tracker on the true boxes: {onTruth}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine($"all: detector + tracker: {Total(detected)}");
        Console.WriteLine($"all: tracker on the true boxes: {Total(perfect)}");
        return 0;
    }

    /// <summary>The figures of several videos together.</summary>
    private static string Total(List<ClearMot> videos)
    {
        int truths = videos.Sum(v => v.Truths), misses = videos.Sum(v => v.Misses), fp = videos.Sum(v => v.FalsePositives), switches = videos.Sum(v => v.IdSwitches);
        return $"MOTA {1 - (double)(misses + fp + switches) / truths:F3}, ID switches {switches}, misses {misses}, false positives {fp}, truths {truths}, frames {videos.Sum(v => v.Frames)}";
    }

    /// <summary>Writes the video's frames to <paramref name="path"/>; returns each frame's truth (hidden or small objects ignored).</summary>
    private static async Task<List<TruthObject[]>> Encode(SyntheticVideo video, string path)
    {
        var options = video.Options;
        var truths = new List<TruthObject[]>();
        await using var writer = VideoWriter.Create(path, options.Width, options.Height, options.FramesPerSecond);
        for (int i = 0; i < options.Frames; i++)
        {
            var (image, objects) = video.Render(i);
            using (image) await writer.WriteAsync(image.GetPixelSpan().ToArray());
            truths.Add(objects.Select(o => new TruthObject(o.ObjectId, ToPixels(o.Annotation), o.Annotation.Difficult)).ToArray());
        }
        await writer.CompleteAsync();
        return truths;
    }

    /// <summary>A VOC-frame box (first and last pixel) as continuous pixel coordinates.</summary>
    internal static PixelBox ToPixels(ObjectAnnotation a) => new(a.X1, a.Y1, a.X2 + 1, a.Y2 + 1);
}
