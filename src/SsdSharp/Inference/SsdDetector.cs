using SkiaSharp;
using SsdSharp.Boxes;
using SsdSharp.Configuration;
using SsdSharp.Imaging;
using SsdSharp.Preprocessing;

namespace SsdSharp.Inference;

/// <summary>
/// Detects objects in images with a trained SSD: decode, preprocess (SPEC §1), forward pass by a
/// backend, post-process (SPEC §5), and boxes scaled to pixels of the original image and clipped to it.
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
    private readonly IInferenceBackend _backend;
    private readonly NetworkInputFormat _inputFormat;
    private DetectionOptions _detection;

    /// <summary>Runs detection on <paramref name="backend"/>, which the detector owns and disposes.</summary>
    public SsdDetector(IInferenceBackend backend, DetectorOptions? options = null)
    {
        Options = (options ?? new DetectorOptions()).Validate();
        _backend = backend;
        _inputFormat = NetworkInputFormat.From(Config);
        _detection = Options.Detection ?? DetectionOptions.For(Config);
    }

    /// <summary>Loads a model file with the backend <paramref name="options"/> ask for (see <see cref="InferenceBackends"/>).</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="options">How to run it.</param>
    /// <param name="config">Overrides the embedded configuration (same network, e.g. other class names).</param>
    public static SsdDetector Load(string modelPath, DetectorOptions? options = null, SsdConfig? config = null)
    {
        options = (options ?? new DetectorOptions()).Validate();
        return new SsdDetector(InferenceBackends.Open(modelPath, config, options), options);
    }

    /// <summary>The model's configuration (classes, input size…).</summary>
    public SsdConfig Config => _backend.Config;

    /// <summary>The settings the detector was created with.</summary>
    public DetectorOptions Options { get; }

    /// <summary>
    /// The post-processing settings: <see cref="DetectorOptions.Detection"/>, or else the model's own
    /// (<see cref="DetectionOptions.For"/>). They may be changed between calls, for example to apply a
    /// user's thresholds on top of the model's defaults.
    /// </summary>
    /// <exception cref="SsdInputException">A new value is out of range.</exception>
    public DetectionOptions Detection
    {
        get => _detection;
        set => _detection = value.Validate();
    }

    /// <summary>What runs the network.</summary>
    public IInferenceBackend Backend => _backend;

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
            results.AddRange(Detect(chunk, chunkNames));
        }
        return results;
    }

    /// <summary>Detects objects in an 8-bit pixel buffer: a video frame, an OpenCV <c>Mat</c>'s data (<see cref="PixelOrder.Bgr24"/>), a camera's buffer.</summary>
    /// <param name="pixels">Rows of pixels, each <paramref name="stride"/> bytes apart.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="order">The channel order.</param>
    /// <param name="stride">Bytes from one row to the next; 0 for rows without padding.</param>
    /// <param name="name">A name for the result.</param>
    public ImageDetections Detect(ReadOnlySpan<byte> pixels, int width, int height, PixelOrder order, int stride = 0, string name = "pixels") =>
        Detect([RgbImage.FromPixels(pixels, width, height, order, stride)], [name])[0];

    /// <summary>
    /// Detects objects in a large image tile by tile (<see cref="TileOptions"/>): every tile, and the whole image
    /// shrunk, through the network in batches, their detections merged by NMS in image coordinates and capped
    /// as <see cref="Detection"/> says. Finds small objects at the cost of a forward pass per tile.
    /// With the whole image detected too, a tile's boxes are left to the other views where those show more of the
    /// object: boxes at an edge the tile shares with another (most likely cut objects) where the whole image shows them
    /// at least as large as the smallest default box or a neighbouring tile holds more of them, and boxes larger than
    /// half a tile that the whole image shows at least twice the smallest default box.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="tiles">The tile size and overlap.</param>
    /// <param name="name">A name for the result.</param>
    public ImageDetections DetectTiled(RgbImage image, TileOptions tiles, string name = "image") =>
        TiledDetection.Detect(this, image, name, tiles);

    /// <summary>
    /// Detects objects in many files (<see cref="DetectEach"/>). Results come in input order; a file that
    /// cannot be decoded is passed to <paramref name="onError"/> and skipped, or, without a handler, stops
    /// the run with its error.
    /// </summary>
    public IEnumerable<ImageDetections> DetectFiles(IEnumerable<string> paths, Action<ImageDecodeException>? onError = null,
        CancellationToken cancellationToken = default)
    {
        foreach (var file in DetectEach(paths, cancellationToken))
        {
            if (file.Result is { } result)
            {
                yield return result;
            }
            else
            {
                if (onError is null) throw file.Error!;
                onError(file.Error!);
            }
        }
    }

    /// <summary>
    /// Detects objects in many files, each tile by tile (<see cref="DetectTiled"/>), one file after the other (an
    /// image's tiles fill the batches). Results come in input order; a file that cannot be decoded is passed to
    /// <paramref name="onError"/> and skipped, or, without a handler, stops the run with its error.
    /// </summary>
    public IEnumerable<ImageDetections> DetectFilesTiled(IEnumerable<string> paths, TileOptions tiles, Action<ImageDecodeException>? onError = null,
        CancellationToken cancellationToken = default)
    {
        // Checked here, not when the enumeration starts.
        tiles.Validate();
        return DetectEachTiled(paths, tiles, onError, cancellationToken);
    }

    private IEnumerable<ImageDetections> DetectEachTiled(IEnumerable<string> paths, TileOptions tiles, Action<ImageDecodeException>? onError,
        CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RgbImage image;
            try
            {
                image = RgbImage.Decode(path);
            }
            catch (ImageDecodeException e) when (onError is not null)
            {
                onError(e);
                continue;
            }
            yield return DetectTiled(image, tiles, path);
        }
    }

    /// <summary>
    /// Detects objects in many files, one outcome per file in input order: decoding and preprocessing run
    /// in parallel ahead of the forward passes (one per <see cref="DetectorOptions.BatchSize"/> files) and
    /// post-processing behind them, so that the backend does not wait on decoding. Memory stays bounded
    /// however many files there are; <paramref name="paths"/> is enumerated once, lazily.
    /// </summary>
    /// <remarks>Leaving the enumeration early stops the work and waits for it, so the detector can be disposed right after.</remarks>
    public IEnumerable<FileDetection> DetectEach(IEnumerable<string> paths, CancellationToken cancellationToken = default) =>
        new DetectionPipeline(this).Run(paths, cancellationToken);

    /// <summary>
    /// Runs the whole pipeline on decoded images: <see cref="Preprocess"/>, the backend, <see cref="PostProcess(NetworkPredictions, IReadOnlyList{RgbImage}, IReadOnlyList{string})"/>
    /// (with <see cref="DetectorOptions.TestTimeAugmentation"/>, on each image and its mirror, fused).
    /// </summary>
    /// <param name="images">The images (any number; one forward pass).</param>
    /// <param name="names">A name per image for the results.</param>
    public IReadOnlyList<ImageDetections> Detect(IReadOnlyList<RgbImage> images, IReadOnlyList<string> names)
    {
        var predictions = Forward(Preprocess(images), images.Count);
        return PostProcess(predictions, images, names);
    }

    /// <summary>
    /// The backend's predictions for the <paramref name="count"/> preprocessed images of <paramref name="input"/>; with
    /// <see cref="DetectorOptions.TestTimeAugmentation"/>, followed by those of the images mirrored, in the same pass.
    /// </summary>
    /// <param name="input">The images' network input (<see cref="Preprocess"/>), <c>[N, 3, S, S]</c>.</param>
    /// <param name="count">The images, N.</param>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not <paramref name="count"/> network inputs.</exception>
    public NetworkPredictions Forward(float[] input, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (input.Length != count * _inputFormat.Length)
            throw new ArgumentException($"expected {count} network inputs of {_inputFormat.Length} floats, got {input.Length} floats", nameof(input));
        return Options.TestTimeAugmentation
            ? _backend.Run(MirrorAugmentation.WithMirrors(input, _inputFormat.Size), 2 * count)
            : _backend.Run(input, count);
    }

    /// <summary>The network input of <paramref name="images"/>: <c>[N, 3, S, S]</c> float32, SPEC §1, prepared in parallel.</summary>
    public float[] Preprocess(IReadOnlyList<RgbImage> images)
    {
        int length = _inputFormat.Length;
        var buffer = new float[images.Count * length];
        Parallel.For(0, images.Count, i => Preprocessing.Preprocess.ToNetworkInput(images[i], _inputFormat, buffer.AsSpan(i * length, length)));
        return buffer;
    }

    /// <summary>Detections of each image from the network's predictions, in pixels of the image, by descending score.</summary>
    /// <param name="predictions"><see cref="Forward"/>'s output for <paramref name="images"/>.</param>
    /// <param name="images">The images, for their sizes.</param>
    /// <param name="names">A name per image.</param>
    public IReadOnlyList<ImageDetections> PostProcess(NetworkPredictions predictions, IReadOnlyList<RgbImage> images, IReadOnlyList<string> names) =>
        PostProcess(predictions, images.Select(i => (i.Width, i.Height)).ToArray(), names);

    /// <summary>
    /// As <see cref="PostProcess(NetworkPredictions, IReadOnlyList{RgbImage}, IReadOnlyList{string})"/> from the images' sizes
    /// alone, on predictions of <see cref="Forward"/> (with test-time augmentation, the two views of each image fused).
    /// </summary>
    internal IReadOnlyList<ImageDetections> PostProcess(NetworkPredictions predictions, IReadOnlyList<(int Width, int Height)> sizes, IReadOnlyList<string> names)
    {
        int views = Options.TestTimeAugmentation ? 2 : 1;
        if (predictions.Count != views * sizes.Count)
            throw new ArgumentException($"expected the predictions of {views} × {sizes.Count} network inputs (Forward), got {predictions.Count}", nameof(predictions));
        var results = new ImageDetections[sizes.Count];
        for (int i = 0; i < sizes.Count; i++)
        {
            var detections = Options.TestTimeAugmentation
                ? MirrorAugmentation.Detections(predictions, i, _detection)
                : PostProcessor.Run(predictions, i, _detection);
            results[i] = ToPixels(detections, names[i], sizes[i].Width, sizes[i].Height);
        }
        return results;
    }

    /// <summary>
    /// Detections of image <paramref name="n"/> of a batch with its own post-processing settings, in pixels
    /// of the image, by descending score: what a service that batches requests with different options needs.
    /// </summary>
    /// <param name="predictions">The backend's output for the batch.</param>
    /// <param name="n">The image's index in the batch.</param>
    /// <param name="name">The image's name for the result.</param>
    /// <param name="width">The original image's width in pixels.</param>
    /// <param name="height">The original image's height in pixels.</param>
    /// <param name="detection">Thresholds and caps for this image.</param>
    public ImageDetections PostProcess(NetworkPredictions predictions, int n, string name, int width, int height, DetectionOptions detection) =>
        ToPixels(PostProcessor.Run(predictions, n, detection.Validate()), name, width, height);

    /// <summary>
    /// Test-time augmentation (<see cref="DetectorOptions.TestTimeAugmentation"/>) of one image whose two views went through the
    /// network in forward passes of the caller's, such as a service's batches: image <paramref name="n"/> of <paramref name="image"/>
    /// and its mirror image (<see cref="Preprocessing.Preprocess.Mirror"/> of its network input), input <paramref name="m"/> of
    /// <paramref name="mirror"/>, post-processed with <paramref name="detection"/> and fused as <see cref="Detect(IReadOnlyList{RgbImage}, IReadOnlyList{string})"/>
    /// fuses them; in pixels of the image, by descending score. Whether the detector itself detects with test-time augmentation does not matter.
    /// </summary>
    /// <param name="image">The backend's output for the batch of the image as it is.</param>
    /// <param name="n">The image's index in that batch.</param>
    /// <param name="mirror">The backend's output for the batch of its mirror image (may be <paramref name="image"/>).</param>
    /// <param name="m">The mirror image's index in that batch.</param>
    /// <param name="name">The image's name for the result.</param>
    /// <param name="width">The original image's width in pixels.</param>
    /// <param name="height">The original image's height in pixels.</param>
    /// <param name="detection">Thresholds and caps for this image.</param>
    public ImageDetections PostProcess(NetworkPredictions image, int n, NetworkPredictions mirror, int m, string name, int width, int height, DetectionOptions detection) =>
        ToPixels(MirrorAugmentation.Detections(image, n, mirror, m, detection.Validate()), name, width, height);

    private ImageDetections ToPixels(NormalizedDetection[] detections, string name, int width, int height)
    {
        var list = new List<Detection>(detections.Length);
        foreach (var d in detections.OrderByDescending(d => d.Score))
        {
            list.Add(new Detection(d.ClassId, Config.LabelOf(d.ClassId), d.Score, d.ToPixels(width, height)));
        }
        return new ImageDetections(name, width, height, list);
    }

    /// <summary>Disposes the backend.</summary>
    public void Dispose() => _backend.Dispose();
}
