using System.Diagnostics;
using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Data.Augmentation;
using SsdSharp.Imaging;
using SsdSharp.Modeling;
using SsdSharp.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdSharp.Inference;

/// <summary>
/// Detects objects in images with a trained SSD: decode, preprocess (SPEC §1), forward, post-process
/// (SPEC §5), and boxes scaled to pixels of the original image and clipped to it.
/// </summary>
/// <example>
/// <code>
/// using var detector = SsdDetector.Load("model.safetensors");
/// foreach (var d in detector.Detect("dog.jpg").Detections)
///     Console.WriteLine($"{d.Label} {d.Score:F2} {d.Box}");
/// </code>
/// </example>
public sealed class SsdDetector : IDisposable
{
    private readonly SsdNetwork _network;
    private readonly Tensor _priors;
    private readonly BoxCoder _coder;
    private readonly NetworkInputFormat _inputFormat;
    private readonly Device _device;

    /// <summary>Wraps a network (the detector takes ownership and disposes it).</summary>
    public SsdDetector(SsdNetwork network, DetectorOptions? options = null)
    {
        Options = options ?? new DetectorOptions();
        Options.Detection.Validate();
        if (Options.BatchSize < 1) throw new SsdInputException($"batch: must be at least 1, got {Options.BatchSize}");
        _device = Options.Device ?? CPU;
        _network = network;
        _network.eval();
        _network.to(_device);
        _network.to(Options.DType);
        if (Options.Layout == TensorLayout.ChannelsLast) ToChannelsLast(_network);
        _priors = PriorBoxes.Create(Config, _device);
        _coder = new BoxCoder(Config.Variances[0], Config.Variances[1]);
        _inputFormat = NetworkInputFormat.From(Config);
    }

    /// <summary>Loads an SsdSharp model file (configuration embedded).</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="options">How to run it.</param>
    /// <param name="config">Overrides the embedded configuration (same network, e.g. other class names).</param>
    public static SsdDetector Load(string modelPath, DetectorOptions? options = null, SsdConfig? config = null) =>
        new(ModelFile.Load(modelPath, config), options);

    /// <summary>The model's configuration (classes, input size…).</summary>
    public SsdConfig Config => _network.Config;

    /// <summary>The settings the detector runs with.</summary>
    public DetectorOptions Options { get; }

    /// <summary>Detects objects in an image file.</summary>
    /// <exception cref="ImageDecodeException">The file is missing, not an image, or truncated.</exception>
    public ImageDetections Detect(string path)
    {
        using var bitmap = ImageDecoder.Decode(path);
        return Detect([bitmap], [path])[0];
    }

    /// <summary>Detects objects in an encoded image read from <paramref name="stream"/>.</summary>
    public ImageDetections Detect(Stream stream, string name = "stream")
    {
        using var bitmap = ImageDecoder.Decode(stream, name);
        return Detect([bitmap], [name])[0];
    }

    /// <summary>Detects objects in a bitmap.</summary>
    public ImageDetections Detect(SKBitmap bitmap, string name = "bitmap") => Detect([bitmap], [name])[0];

    /// <summary>Detects objects in several bitmaps with one forward pass per <see cref="DetectorOptions.BatchSize"/> images.</summary>
    /// <param name="bitmaps">The images.</param>
    /// <param name="names">A name per image for the results; defaults to its index.</param>
    public IReadOnlyList<ImageDetections> Detect(IReadOnlyList<SKBitmap> bitmaps, IReadOnlyList<string>? names = null)
    {
        var results = new List<ImageDetections>(bitmaps.Count);
        for (int start = 0; start < bitmaps.Count; start += Options.BatchSize)
        {
            var chunk = bitmaps.Skip(start).Take(Options.BatchSize).Select(RgbImage.FromBitmap).ToArray();
            var chunkNames = Enumerable.Range(start, chunk.Length).Select(i => names?[i] ?? i.ToString()).ToArray();
            results.AddRange(DetectImages(chunk, chunkNames, timings: null));
        }
        return results;
    }

    /// <summary>
    /// Detects objects in many files: decoding and preprocessing run in parallel, forward passes
    /// are batched. Results come in input order; a file that cannot be decoded is passed to
    /// <paramref name="onError"/> and skipped, or, without a handler, stops the run with its error.
    /// </summary>
    public IEnumerable<ImageDetections> DetectFiles(IEnumerable<string> paths, Action<ImageDecodeException>? onError = null,
        CancellationToken cancellationToken = default)
    {
        foreach (var chunk in paths.Chunk(Options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var images = new RgbImage?[chunk.Length];
            var errors = new ImageDecodeException?[chunk.Length];
            Parallel.For(0, chunk.Length, i =>
            {
                try
                {
                    images[i] = RgbImage.Decode(chunk[i]);
                }
                catch (ImageDecodeException e)
                {
                    errors[i] = e;
                }
            });
            foreach (var error in errors.OfType<ImageDecodeException>())
            {
                if (onError is null) throw error;
                onError(error);
            }
            var ok = Enumerable.Range(0, chunk.Length).Where(i => images[i] != null).ToArray();
            if (ok.Length == 0) continue;
            foreach (var result in DetectImages(ok.Select(i => images[i]!).ToArray(), ok.Select(i => chunk[i]).ToArray(), timings: null))
                yield return result;
        }
    }

    /// <summary>Runs the pipeline on decoded images, optionally timing its stages.</summary>
    internal IReadOnlyList<ImageDetections> DetectImages(RgbImage[] images, string[] names, StageTimings? timings)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var input = ToInputBatch(images);
        timings?.Add(ref timings.Preprocess, clock);

        var (loc, conf) = _network.forward(input);
        timings?.Add(ref timings.Forward, clock);

        var normalised = PostProcessor.Run(loc, conf, _priors, _coder, Options.Detection);
        var results = new ImageDetections[images.Length];
        for (int i = 0; i < images.Length; i++)
            results[i] = ToPixels(normalised[i], names[i], images[i].Width, images[i].Height);
        timings?.Add(ref timings.PostProcess, clock);
        return results;
    }

    /// <summary>The batch tensor <c>[N, 3, S, S]</c> of preprocessed images, in the detector's dtype, device and layout.</summary>
    internal Tensor ToInputBatch(RgbImage[] images)
    {
        int length = _inputFormat.Length;
        var buffer = new float[images.Length * length];
        Parallel.For(0, images.Length, i => Preprocess.ToNetworkInput(images[i], _inputFormat, buffer.AsSpan(i * length, length)));
        var input = tensor(buffer, [images.Length, 3, Config.InputSize, Config.InputSize]);
        if (Options.DType != ScalarType.Float32 || _device.type != TorchSharp.DeviceType.CPU) input = input.to(Options.DType, _device);
        return Options.Layout == TensorLayout.ChannelsLast ? ChannelsLast(input) : input;
    }

    /// <summary>The raw network, for benchmarks of the forward pass alone.</summary>
    internal SsdNetwork Network => _network;

    private ImageDetections ToPixels(NormalizedDetection[] detections, string name, int width, int height)
    {
        var list = new List<Detection>(detections.Length);
        foreach (var d in detections.OrderByDescending(d => d.Score))
        {
            var box = new PixelBox(
                Math.Clamp(d.X1 * width, 0, width), Math.Clamp(d.Y1 * height, 0, height),
                Math.Clamp(d.X2 * width, 0, width), Math.Clamp(d.Y2 * height, 0, height));
            list.Add(new Detection(d.ClassId, Config.LabelOf(d.ClassId), d.Score, box));
        }
        return new ImageDetections(name, width, height, list);
    }

    // NCHW sizes with NHWC strides: permuting to NHWC, making that contiguous and permuting back.
    private static Tensor ChannelsLast(Tensor t) => t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private static void ToChannelsLast(SsdNetwork network)
    {
        using var _ = no_grad();
        foreach (var conv in network.modules().OfType<Conv2d>())
        {
            using var weight = ChannelsLast(conv.weight!);
            conv.weight!.set_(weight);
        }
    }

    /// <summary>Disposes the network and the default boxes.</summary>
    public void Dispose()
    {
        _network.Dispose();
        _priors.Dispose();
    }
}

/// <summary>Wall-clock time spent in each stage of detection, accumulated over calls.</summary>
internal sealed class StageTimings
{
    public double Preprocess;
    public double Forward;
    public double PostProcess;

    /// <summary>Adds the time since the clock's last lap to <paramref name="stage"/> and restarts it.</summary>
    public void Add(ref double stage, Stopwatch clock)
    {
        stage += clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }
}
