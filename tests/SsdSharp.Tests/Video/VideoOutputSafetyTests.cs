using SsdSharp.Data.Synthetic;
using SsdSharp.IO;
using SsdSharp.Tests.Infrastructure;
using SsdSharp.Video;

namespace SsdSharp.Tests.Video;

/// <summary>
/// The file safety of the video commands (docs/reliability.md): <c>detect --draw</c> on videos and <c>synth video</c>
/// check their outputs before the work as the image commands do, never replace an input or a user's file unasked,
/// and refuse numbers FFmpeg cannot encode in one line rather than failing in FFmpeg.
/// </summary>
public sealed class VideoOutputSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A 4-frame clip of 64×64 at 25 frames/s at <paramref name="parts"/> under the temporary folder.</summary>
    private string Clip(params string[] parts)
    {
        var path = _temp.Path(parts);
        var run = CliRunner.Run("synth", "video", "--out", path, "--frames", "4", "--width", "64", "--height", "64", "--objects", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return path;
    }

    [Fact]
    public void DrawingIntoTheFolderOfTheVideoIsRefusedAndForcedStillNeverReplacesIt()
    {
        // Refused before the video is opened: any bytes serve as the video.
        var video = _temp.Write("the user's own video", "v", "clip.mp4");
        var hashes = FileHashes.Of(_temp.Path("v"));

        CliAssert.OneLineError(CliRunner.Run("detect", "--draw", _temp.Path("v"), video),
            $"--draw {_temp.Path("v")}: the folder holds files that ssd did not write", "--force");
        CliAssert.OneLineError(CliRunner.Run("detect", "--draw", _temp.Path("v"), "--force", video), $"--draw {video}: is an input of this command");
        hashes.AssertUnchanged();
    }

    [FfmpegFact]
    public void DrawingsOfVideosWithTheSameNameAllSurvive()
    {
        var a = Clip("in", "a", "clip.mp4");
        var b = _temp.Copy(a, "in", "b", "clip.mp4");
        var hashes = FileHashes.Of(_temp.Path("in"));

        var run = CliRunner.Run("detect", "--draw", _temp.Path("out"), a, b);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal((4, 64, 64), SyntheticClip.Probe(_temp.Path("out", "a", "clip.mp4")));
        Assert.Equal((4, 64, 64), SyntheticClip.Probe(_temp.Path("out", "b", "clip.mp4")));
        hashes.AssertUnchanged();
    }

    [Fact]
    public void JsonLinesOutputOfAVideoThatCannotBeIsRefused()
    {
        var video = _temp.Write("the user's own video", "clip.mp4");
        var notes = _temp.Write("my precious notes", "notes.jsonl");
        var hashes = FileHashes.Of(video, notes);

        CliAssert.OneLineError(CliRunner.Run("detect", "--output", "", video), "--output: empty path");
        CliAssert.OneLineError(CliRunner.Run("detect", "--output", _temp.Root, video), $"--output {_temp.Root}: is a folder");
        CliAssert.OneLineError(CliRunner.Run("detect", "--output", _temp.Path("clip.mp4", "x.jsonl"), video), $"{video} is a file, not a folder");
        CliAssert.OneLineError(CliRunner.Run("detect", "--output", video, video), $"--output {video}: is an input of this command");
        CliAssert.OneLineError(CliRunner.Run("detect", "--output", notes, video), $"--output {notes}: exists already");
        hashes.AssertUnchanged();
    }

    [Fact]
    public void SynthVideoReplacesNeitherTheVideoNorItsTruthWithoutForce()
    {
        var video = _temp.Write("the user's own video", "clip.mp4");
        var truth = _temp.Write("the user's own truth", "clip.truth.jsonl");
        var hashes = FileHashes.Of(video, truth);

        CliAssert.OneLineError(CliRunner.Run("synth", "video", "--out", video, "--frames", "2"), $"--out {video}: exists already", "--force");
        hashes.AssertUnchanged();

        // The truth alone is no less the user's.
        File.Delete(video);
        CliAssert.OneLineError(CliRunner.Run("synth", "video", "--out", video, "--frames", "2"), $"--out {truth}: exists already", "--force");
        Assert.False(File.Exists(video));
        Assert.Equal("the user's own truth", File.ReadAllText(truth));
    }

    [Fact]
    public void SynthVideoWhoseEncodingFailsKeepsTheVideoAndTheTruthFile()
    {
        // An FFmpeg that fails after opening its output, as the real one does when the encoding fails: the encoding
        // fails after the command started, and whatever file it was given is empty.
        var fake = _temp.Write("#!/bin/sh\nfor a; do last=$a; done\n: > \"$last\"\nexit 1\n", "ffmpeg-bin", "ffmpeg");
        TempFolder.SetMode(fake, (UnixFileMode)0b111_101_101);
        var truth = _temp.Write("the truth of an earlier video", "out", "clip.truth.jsonl");
        var video = _temp.Write("an earlier video", "out", "clip.mp4");
        var hashes = FileHashes.Of(truth, video);

        var run = CliRunner.RunWith(new Dictionary<string, string> { [Ffmpeg.FolderVariable] = _temp.Path("ffmpeg-bin") },
            "synth", "video", "--out", _temp.Path("out", "clip.mp4"), "--frames", "2", "--force");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ffmpeg", run.Stderr);
        hashes.AssertUnchanged();
        // Nor is a temporary file of either left beside them.
        Assert.Equal(["clip.mp4", "clip.truth.jsonl"], Directory.GetFiles(_temp.Path("out")).Select(Path.GetFileName).Order());
    }

    [FfmpegFact]
    public void ForcedSynthVideoReplacesBothFilesOnceEncoded()
    {
        var video = _temp.Write("an older video", "clip.mp4");
        var truth = _temp.Write("an older truth", "clip.truth.jsonl");

        var run = CliRunner.Run("synth", "video", "--out", video, "--frames", "3", "--width", "64", "--height", "64", "--force");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal((3, 64, 64), SyntheticClip.Probe(video));
        Assert.Equal(3, File.ReadAllLines(truth).Length);
        Assert.Equal(["clip.mp4", "clip.truth.jsonl"], Directory.GetFiles(_temp.Root).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SynthVideoOutputThatCannotBeIsRefused()
    {
        var file = _temp.Write("the user's own file", "file");
        var hashes = FileHashes.Of(file);

        CliAssert.OneLineError(CliRunner.Run("synth", "video", "--out", ""), "--out: empty path");
        CliAssert.OneLineError(CliRunner.Run("synth", "video", "--out", _temp.Root), $"--out {_temp.Root}: is a folder");
        CliAssert.OneLineError(CliRunner.Run("synth", "video", "--out", _temp.Path("file", "x.mp4")), $"{file} is a file, not a folder");
        CliAssert.OneLineError(CliRunner.Run("synth", "video", "--out", _temp.Path("clip.mkv")), $"--out {_temp.Path("clip.mkv")}: expected a file name ending in .mp4");
        Assert.False(File.Exists(_temp.Path("clip.mkv")));
        hashes.AssertUnchanged();
    }

    [Theory]
    [InlineData("synth video --out OUT --fps Infinity", "--fps: must be in [0.01, 1000], got Infinity")]
    [InlineData("synth video --out OUT --fps 1e-9", "--fps: must be in [0.01, 1000], got 1e-9")]
    [InlineData("synth video --out OUT --fps NaN", "--fps: must be in [0.01, 1000], got NaN")]
    [InlineData("synth video --out OUT --width 20000", "--width: must be in [64, 16384], got 20000")]
    [InlineData("synth video --out OUT --height 8", "--height: must be in [64, 16384], got 8")]
    [InlineData("synth video --out OUT --frames 0", "--frames: must be at least 1, got 0")]
    [InlineData("detect --fps 1e-300 --draw OUT clip.mp4", "--fps: must be in [0.01, 1000], got 1e-300")]
    [InlineData("detect --fps Infinity clip.mp4", "--fps: must be in [0.01, 1000], got Infinity")]
    [InlineData("detect --every 2000000000 --draw OUT clip.mp4", "--every: must be in [1, 1000000], got 2000000000")]
    [InlineData("detect --every 0 clip.mp4", "--every: must be in [1, 1000000], got 0")]
    public void NumbersThatCannotBeEncodedAreRefusedNamingTheOption(string commandLine, string message)
    {
        var args = commandLine.Split(' ').Select(a => a == "OUT" ? _temp.Path("out.mp4") : a).ToArray();
        CliAssert.OneLineError(CliRunner.Run(args), message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Root));
    }

    [FfmpegFact]
    public void AnEveryThatSlowsTheAnnotatedVideoBelowWhatItPlaysIsRefusedBeforeItIsWritten()
    {
        var video = Clip("clip.mp4");

        var run = CliRunner.Run("detect", "--every", "1000000", "--draw", _temp.Path("out"), video);

        CliAssert.OneLineError(run, "--draw: clip.mp4 at 25 frames/s with --every 1000000", "0.01 to 1000 frames/s");
        Assert.Equal([OutputFolder.MarkerName], Directory.GetFileSystemEntries(_temp.Path("out")).Select(Path.GetFileName));
    }

    [FfmpegFact]
    public void TheFrameRateCapCountsFromTheFirstFrame()
    {
        // 4 frames at 25 frames/s span 0.12 s: at half a frame a second only the first is detected.
        var run = CliRunner.Run("detect", "--fps", "0.5", Clip("clip.mp4"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Single(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TheLibraryRefusesSizesAndRatesTheEncoderCannotTake()
    {
        Assert.Throws<SsdInputException>(() => new SyntheticVideoOptions { Width = 20000 }.Validate());
        Assert.Throws<SsdInputException>(() => new SyntheticVideoOptions { FramesPerSecond = double.PositiveInfinity }.Validate());
        Assert.Throws<SsdInputException>(() => new SyntheticVideoOptions { FramesPerSecond = 1e-9 }.Validate());
        Assert.Throws<SsdInputException>(() => new SyntheticVideoOptions { FramesPerSecond = double.NaN }.Validate());
        Assert.Throws<SsdInputException>(() => new FrameSelection { Every = 2_000_000_000 }.Validate());
        Assert.Throws<SsdInputException>(() => new FrameSelection { MaxFramesPerSecond = 1e-300 }.Validate());
        // FFmpeg refused these blaming the video.
        Assert.Equal("--duration: must be more than 0 and at most 1e9 seconds, got 1000000000000000",
            Assert.Throws<SsdInputException>(() => new FrameSelection { Duration = 1e15 }.Validate()).Message);
        Assert.Equal("--start: must be 0 to 1e9 seconds, got 1000000000000000", Assert.Throws<SsdInputException>(() => new FrameSelection { Start = 1e15 }.Validate()).Message);
        _ = new FrameSelection { Start = FrameSelection.MaxSeconds, Duration = FrameSelection.MaxSeconds }.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoWriter.Create(_temp.Path("x.mp4"), 20000, 64, 25));
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoWriter.Create(_temp.Path("x.mp4"), 64, 64, 1e-9));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Root));

        // The synthetic video's limits are the writer's (Data cannot use Video).
        Assert.Equal(VideoWriter.MaxSide, SyntheticVideoOptions.MaxSide);
        Assert.Equal(VideoWriter.MinFramesPerSecond, SyntheticVideoOptions.MinFramesPerSecond);
        Assert.Equal(VideoWriter.MaxFramesPerSecond, SyntheticVideoOptions.MaxFramesPerSecond);
    }
}
