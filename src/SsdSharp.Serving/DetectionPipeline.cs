using Microsoft.AspNetCore.Http;
using SsdSharp.Configuration;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Preprocessing;

namespace SsdSharp.Serving;

/// <summary>
/// One request's way through the service: decode and preprocess its images on the request's thread,
/// queue them for a batched forward pass (<see cref="DynamicBatcher"/>), and post-process each with the
/// request's options — the steps of <see cref="SsdDetector.Detect(IReadOnlyList{RgbImage}, IReadOnlyList{string})"/>,
/// with other requests' images sharing the forward pass.
/// </summary>
public sealed class DetectionPipeline
{
    private readonly SsdDetector _detector;
    private readonly DynamicBatcher _batcher;
    private readonly int _inputSize;

    // A decoded image takes 16 bytes a pixel (RGBA bitmap and float RGB) until it is preprocessed: decoding
    // one request per core bounds that memory under any number of concurrent uploads, and more would not be faster.
    private readonly SemaphoreSlim _decoding = new(Environment.ProcessorCount);

    /// <summary>Runs requests on <paramref name="detector"/>'s pre- and post-processing, forward passes batched by <paramref name="batcher"/>.</summary>
    public DetectionPipeline(SsdDetector detector, DynamicBatcher batcher)
    {
        _detector = detector;
        _batcher = batcher;
        _inputSize = NetworkInputFormat.From(detector.Config).Size;
    }

    /// <summary>
    /// The detections of each upload, in order, in pixels of the image, by descending score. With test-time augmentation each
    /// image's mirror image is queued after the request's images, and each image's two views are fused wherever their forward passes were.
    /// </summary>
    /// <exception cref="ImageDecodeException">An upload is not an image, truncated, empty, or above the pixel limit.</exception>
    /// <exception cref="HttpProblemException">503: the queue is full.</exception>
    public async Task<IReadOnlyList<ImageDetections>> DetectAsync(IReadOnlyList<ImageUpload> uploads, DetectionRequestOptions request, CancellationToken cancellationToken)
    {
        int count = uploads.Count;
        var inputs = new float[request.Views * count][];
        var sizes = new (int Width, int Height)[count];
        for (int i = 0; i < count; i++)
        {
            await _decoding.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                (inputs[i], sizes[i]) = Prepare(uploads[i]);
                if (request.TestTimeAugmentation)
                {
                    inputs[count + i] = new float[inputs[i].Length];
                    Preprocess.Mirror(inputs[i], inputs[count + i], _inputSize);
                }
            }
            finally
            {
                _decoding.Release();
            }
        }
        var slots = _batcher.TryEnqueue(inputs, cancellationToken)
            ?? throw new HttpProblemException(StatusCodes.Status503ServiceUnavailable, "queue full",
                $"{_batcher.QueueDepth} images are waiting for the network (--queue); retry later")
            { RetryAfterSeconds = _batcher.RetryAfterSeconds };
        var results = new ImageDetections[count];
        for (int i = 0; i < count; i++)
        {
            var (name, (width, height)) = (uploads[i].Name, sizes[i]);
            var slot = await slots[i].WaitAsync(cancellationToken).ConfigureAwait(false);
            if (request.TestTimeAugmentation)
            {
                var mirror = await slots[count + i].WaitAsync(cancellationToken).ConfigureAwait(false);
                results[i] = _detector.PostProcess(slot.Predictions, slot.Index, mirror.Predictions, mirror.Index, name, width, height, request.Detection);
            }
            else
            {
                results[i] = _detector.PostProcess(slot.Predictions, slot.Index, name, width, height, request.Detection);
            }
        }
        return results;
    }

    private (float[] Input, (int, int) Size) Prepare(ImageUpload upload)
    {
        using var stream = new MemoryStream(upload.Data, writable: false);
        using var bitmap = ImageDecoder.Decode(stream, upload.Name);
        var image = RgbImage.FromBitmap(bitmap);
        return (_detector.Preprocess([image]), (image.Width, image.Height));
    }
}
