using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Video;

namespace SsdSharp.Tests.Video;

/// <summary>A short synthetic video made by <c>ssd synth video</c> (12 frames of 320×240), shared by the tests that read it.</summary>
public sealed class SyntheticClip
{
    public const int Frames = 12;

    public SyntheticClip()
    {
        Folder = Directory.CreateTempSubdirectory("ssd-video").FullName;
        Path = System.IO.Path.Combine(Folder, "clip.mp4");
        if (!Ffmpeg.IsAvailable) return;
        var run = CliRunner.Run("synth", "video", "--out", Path, "--frames", $"{Frames}", "--width", "320", "--height", "240", "--objects", "3", "--seed", "3");
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    public string Folder { get; }

    public string Path { get; }

    /// <summary>The frame count, width and height that <c>ffprobe</c> reads from <paramref name="video"/> (decoding every frame).</summary>
    public static (int Frames, int Width, int Height) Probe(string video)
    {
        var (code, output) = ProcessRunner.Run(Ffmpeg.FfprobePath,
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,width,height", "-of", "json", video],
            TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
        var stream = JsonNode.Parse(output)!["streams"]![0]!;
        return (int.Parse((string)stream["nb_read_frames"]!, CultureInfo.InvariantCulture), (int)stream["width"]!, (int)stream["height"]!);
    }
}

public class VideoCommandTests(SyntheticClip clip) : IClassFixture<SyntheticClip>
{
    private static JsonObject[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();

    [FfmpegFact]
    public void EveryFrameOfASyntheticVideoIsDetectedAndTheAnnotatedVideoPlays()
    {
        var draw = Path.Combine(clip.Folder, "drawn");
        var run = CliRunner.Run("detect", clip.Path, "--track", "--draw", draw);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = Lines(run.Stdout);
        Assert.Equal(Enumerable.Range(0, SyntheticClip.Frames).Select(i => (long)i), lines.Select(l => (long)l["frame"]!));
        Assert.All(lines, l =>
        {
            Assert.Equal("clip.mp4", (string?)l["video"]);
            Assert.Equal((long)l["frame"]! / 25.0, (double)l["time"]!, 6);
            Assert.Equal(320, (int)l["width"]!);
            Assert.Equal(240, (int)l["height"]!);
            Assert.All(l["detections"]!.AsArray(), d => Assert.True(d!.AsObject().ContainsKey("track_id")));
        });
        Assert.Contains(lines.SelectMany(l => l["detections"]!.AsArray()), d => d!["track_id"] != null);
        Assert.Contains("frames/s", run.Stderr);
        Assert.Equal((SyntheticClip.Frames, 320, 240), SyntheticClip.Probe(Path.Combine(draw, "clip.mp4")));
    }

    [FfmpegFact]
    public void StartDurationAndEveryPickSourceFramesByTheirIndex()
    {
        // 25 frames/s: 0.2 s in is frame 5; 0.24 s more is 6 frames, 5…10; every 2nd of them.
        var run = CliRunner.Run("detect", clip.Path, "--start", "0.2", "--duration", "0.24", "--every", "2");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = Lines(run.Stdout);
        Assert.Equal([5L, 7L, 9L], lines.Select(l => (long)l["frame"]!));
        Assert.Equal(0.2, (double)lines[0]["time"]!, 6);
        Assert.DoesNotContain(lines.SelectMany(l => l["detections"]!.AsArray()), d => d!.AsObject().ContainsKey("track_id"));
    }

    /// <summary>A video cut short gave the frames before the cut and exit 0, as if it were whole.</summary>
    [FfmpegFact]
    public void AVideoCutShortIsNamedAndTheOthersAreStillDetected()
    {
        var bytes = File.ReadAllBytes(clip.Path);
        var cut = Path.Combine(clip.Folder, "cut", "cut.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(cut)!);
        File.WriteAllBytes(cut, bytes[..(bytes.Length * 2 / 3)]);
        var run = CliRunner.Run("detect", cut, clip.Path);

        Assert.Equal(2, run.ExitCode);
        var lines = Lines(run.Stdout);
        var cutFrames = lines.Count(l => (string?)l["video"] == "cut.mp4");
        Assert.InRange(cutFrames, 1, SyntheticClip.Frames - 1);
        Assert.Equal(SyntheticClip.Frames, lines.Count(l => (string?)l["video"] == "clip.mp4"));
        Assert.Contains($"ssd: error: {cut}: ffmpeg reported errors (last: ", run.Stderr);
        Assert.Contains($") and decoded {cutFrames} frame(s): the file may be damaged or cut short; the results cover the frames decoded", run.Stderr);
        Assert.DoesNotContain(" at ", run.Stderr);
        Assert.DoesNotContain("between key frames", run.Stderr);
    }

    /// <summary>
    /// A file that starts between key frames (here an MPEG-TS without its first third, as an excerpt of a broadcast or of a
    /// camera's stream begins) makes FFmpeg complain of the frames before the first key frame: it is named as possibly
    /// damaged (its complaints cannot be told apart from damage), with the reason and the stream copy that starts at the
    /// key frame, which decodes cleanly.
    /// </summary>
    [FfmpegFact]
    public void AFileThatStartsBetweenKeyFramesIsNamedWithTheCopyThatDecodesCleanly()
    {
        var folder = Path.Combine(clip.Folder, "mid-stream");
        Directory.CreateDirectory(folder);
        var video = Path.Combine(folder, "whole.mp4");
        var made = CliRunner.Run("synth", "video", "--out", video, "--frames", "60", "--width", "160", "--height", "120", "--objects", "2");
        Assert.True(made.ExitCode == 0, made.Stderr);
        var stream = Path.Combine(folder, "whole.ts");
        RunFfmpeg("-i", video, "-c", "copy", "-f", "mpegts", stream);
        // MPEG-TS is a run of 188-byte packets: an excerpt may start at any of them.
        var packets = File.ReadAllBytes(stream).Chunk(188).ToArray();
        var mid = Path.Combine(folder, "mid.ts");
        File.WriteAllBytes(mid, packets[(packets.Length / 3)..].SelectMany(p => p).ToArray());
        var run = CliRunner.Run("detect", mid);

        Assert.Equal(2, run.ExitCode);
        int frames = Lines(run.Stdout).Length;
        Assert.InRange(frames, 1, 59);
        Assert.Contains($"ssd: error: {mid}: ffmpeg reported errors (last: ", run.Stderr);
        Assert.Contains($"; it also starts between key frames, whose first frames FFmpeg cannot decode and complains of: 'ffmpeg -i {mid} -map 0:v -c copy COPY.mp4' makes a copy that starts at its first key frame", run.Stderr);

        var copy = Path.Combine(folder, "copy.mp4");
        RunFfmpeg("-i", mid, "-map", "0:v", "-c", "copy", copy);
        var clean = CliRunner.Run("detect", copy);
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        Assert.Equal(frames, Lines(clean.Stdout).Length);
    }

    /// <summary>FFmpeg folds repeats into "Last message repeated N times", which named nothing when it was the last line.</summary>
    [Fact]
    public void TheLastMessageNamedIsARealOne()
    {
        var text = "[h264 @ 0x1] non-existing PPS 0 referenced\n    Last message repeated 1 times\n[h264 @ 0x1] no frame!\n    Last message repeated 3 times\n";
        Assert.Equal("[h264 @ 0x1] no frame!", VideoInfo.LastLine(text));
        Assert.Null(VideoInfo.LastLine("    Last message repeated 2 times\n"));
    }

    private static void RunFfmpeg(params string[] arguments)
    {
        var (code, output) = ProcessRunner.Run(Ffmpeg.FfmpegPath, ["-v", "quiet", "-y", .. arguments], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
    }

    /// <summary>A damaged model is not each video's problem: named once, and the run ends.</summary>
    [FfmpegFact]
    public void ADamagedModelEndsTheRunNamedOnce()
    {
        var folder = Directory.CreateTempSubdirectory("ssd-nan-video").FullName;
        var onnx = SsdSharp.Tests.Cli.OnnxCommandTests.DamagedOnnx(folder);
        var again = Path.Combine(folder, "again.mp4");
        File.Copy(clip.Path, again);
        var run = CliRunner.Run("detect", "--weights", onnx, clip.Path, again);

        Assert.Equal(2, run.ExitCode);
        var errors = run.Stderr.Split('\n').Where(l => l.StartsWith("ssd: error:", StringComparison.Ordinal)).ToList();
        Assert.Equal($"ssd: error: {onnx}: the model computes NaN or infinite values; its weights are damaged", Assert.Single(errors));
    }

    [FfmpegFact]
    public void SigtermStopsAfterTheCurrentFrameAndLeavesAVideoThatPlays()
    {
        var video = Path.Combine(clip.Folder, "long.mp4");
        var made = CliRunner.Run("synth", "video", "--out", video, "--frames", "400", "--width", "160", "--height", "120", "--objects", "2");
        Assert.True(made.ExitCode == 0, made.Stderr);
        var draw = Path.Combine(clip.Folder, "stopped");
        int lines;
        using (var process = CliRunner.Start(new Dictionary<string, string>(), "detect", video, "--batch", "1", "--draw", draw))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            // The JSON lines come on stdout as frames are done: stop after the third.
            for (int i = 0; i < 3; i++) Assert.NotNull(process.StandardOutput.ReadLine());
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
            lines = 3 + Lines(process.StandardOutput.ReadToEnd()).Length;
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "ssd did not stop after SIGTERM");
            Assert.Equal(143, process.ExitCode);
            Assert.Contains("stopped after frame", stderr.Result);
        }

        Assert.InRange(lines, 3, 399);
        // Every frame that has a line is in the video, which ends properly.
        Assert.Equal((lines, 160, 120), SyntheticClip.Probe(Path.Combine(draw, "long.mp4")));
    }

    [Fact]
    public void WithoutFfmpegAVideoIsRefusedSayingHowToInstallIt()
    {
        var video = Path.Combine(clip.Folder, "absent-ffmpeg.mp4");
        File.WriteAllBytes(video, [0, 0, 0, 0]);
        var run = CliRunner.RunWith(new Dictionary<string, string> { ["PATH"] = "/nonexistent", [Ffmpeg.FolderVariable] = "" }, "detect", video);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ffmpeg not found: video needs FFmpeg", run.Stderr);
        Assert.Contains("tools/setup-video.sh", run.Stderr);
    }

    [Fact]
    public void WithTrackAFolderOfImagesIsAVideoOfItsFramesInNameOrder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(clip.Folder, "frames")).FullName;
        SsdSharp.Data.Synthetic.SyntheticDataset.Generate(Path.Combine(clip.Folder, "frames-set"),
            new SsdSharp.Data.Synthetic.SyntheticDatasetOptions { Images = 3, Seed = 1, MinSide = 200, MaxSide = 200 });
        foreach (var (file, i) in Directory.GetFiles(Path.Combine(clip.Folder, "frames-set", "JPEGImages")).Order().Select((f, i) => (f, i)))
            File.Copy(file, Path.Combine(folder, $"f{i}.jpg"));

        var run = CliRunner.Run("detect", "--track", folder);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = Lines(run.Stdout);
        Assert.Equal([0L, 1L, 2L], lines.Select(l => (long)l["frame"]!));
        Assert.All(lines, l => Assert.Equal("frames", (string?)l["video"]));
    }

    /// <summary>
    /// A start past a video's end gave no lines, an annotated video of no frames and exit 0, as for a video without
    /// objects; so did one after the last frame (0.44 s) within the container's length (0.48 s), and a span between frames.
    /// </summary>
    [FfmpegFact]
    public void AStartPastTheEndIsNamedAndDrawsNothing() =>
        AssertNoFrame(["--start", "5"], "no frame at or after --start 5 s (it is 0.48 s long); expected an earlier start");

    [FfmpegFact]
    public void AStartAfterTheLastFrameWithinTheContainersLengthIsNamedAndDrawsNothing() =>
        AssertNoFrame(["--start", "0.46"], "no frame at or after --start 0.46 s (it is 0.48 s long); expected an earlier start");

    [FfmpegFact]
    public void ASpanPastTheEndAsksForAnEarlierStart() =>
        AssertNoFrame(["--start", "5", "--duration", "1"], "no frame at or after --start 5 s (it is 0.48 s long); expected an earlier start");

    [FfmpegFact]
    public void ASpanBetweenTwoFramesIsNamedAndDrawsNothing() =>
        AssertNoFrame(["--start", "0.1", "--duration", "0.01"], "no frame from --start 0.1 s for --duration 0.01 s (it is 0.48 s long); expected a span that holds a frame");

    private void AssertNoFrame(string[] selection, string message)
    {
        var draw = Path.Combine(clip.Folder, "no-frame-" + string.Join('_', selection));
        var run = CliRunner.Run(["detect", clip.Path, "--draw", draw, .. selection]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        // After the probe's note ("clip.mp4: 320×240, 25 frames/s"), the one error line.
        Assert.Equal($"ssd: error: {clip.Path}: {message}", Assert.Single(run.Stderr.Split('\n', StringSplitOptions.TrimEntries), l => l.StartsWith("ssd: error:", StringComparison.Ordinal)));
        Assert.False(File.Exists(Path.Combine(draw, "clip.mp4")));
    }

    [Fact]
    public void AStartPastTheLastImageOfAFolderOfFramesIsNamed()
    {
        var folder = Directory.CreateDirectory(Path.Combine(clip.Folder, "two-frames")).FullName;
        foreach (var name in new[] { "a.jpg", "b.jpg" }) File.Copy(BundledDetector.Sample(1), Path.Combine(folder, name));

        // 25 frames/s: the second image is at 0.04 s.
        var last = CliRunner.Run("detect", "--track", folder, "--start", "0.04");
        var past = CliRunner.Run("detect", "--track", folder, "--start", "0.05");

        Assert.True(last.ExitCode == 0, last.Stderr);
        Assert.Equal([1L], Lines(last.Stdout).Select(l => (long)l["frame"]!));
        CliAssert.OneLineError(past, "ssd: error: two-frames: no frame at or after --start 0.05 s (it is 0.08 s long); expected an earlier start");
    }

    [Fact]
    public void VideoOptionsWithoutAVideoAndMixedInputsAreRefused()
    {
        var image = Path.Combine(clip.Folder, "image.png");
        File.WriteAllBytes(image, [1]);
        var every = CliRunner.Run("detect", image, "--every", "2");
        Assert.Equal(2, every.ExitCode);
        Assert.Contains("--every needs a video", every.Stderr);
        var mixed = CliRunner.Run("detect", image, Path.Combine(clip.Folder, "x.mp4"));
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("videos and images in one run", mixed.Stderr);
    }
}
