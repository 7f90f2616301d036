using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SsdSharp.Serving;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// Bad requests get a 4xx RFC 7807 problem naming what was wrong, never a 500, and the service goes on
/// serving: not an image, truncated, empty, too large, wrong content type, bad options, absurd image sizes.
/// </summary>
public sealed class BadRequestTests(BundledDetector bundled) : IClassFixture<BundledDetector>, IAsyncLifetime
{
    private const long UploadLimit = 1 << 20;
    private TestService _service = null!;

    public async Task InitializeAsync() =>
        _service = await TestService.StartAsync(bundled.Detector, new ServeOptions { Port = 0, MaxUploadBytes = UploadLimit, QueueLimit = 4 });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static ByteArrayContent Body(byte[] bytes, string? contentType = "image/jpeg")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType != null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static byte[] SampleBytes => File.ReadAllBytes(BundledDetector.Sample(1));

    /// <summary>Sends the request, checks the problem answer, and checks that a good request still works afterwards.</summary>
    private async Task<JsonNode> AssertProblem(HttpStatusCode status, string path, HttpContent? content, string detailPart)
    {
        var response = await _service.Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.Contains(detailPart, problem["detail"]!.GetValue<string>());
        var good = await _service.Client.PostAsync("/v1/detect", Body(SampleBytes));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        return problem;
    }

    [Fact]
    public Task TextIsNotAnImage() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", Body(Encoding.UTF8.GetBytes("hello, world")), "upload: not a recognised image");

    [Fact]
    public Task ATruncatedJpegIsRefused() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", Body(SampleBytes[..3000]), "upload: truncated image data");

    [Fact]
    public Task ZeroBytesAreRefused() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", Body([]), "upload: empty file");

    [Fact]
    public async Task ADeclaredGigabyteIsRefusedBeforeItIsRead()
    {
        var content = Body(SampleBytes);
        content.Headers.ContentLength = 1L << 30;
        // The test server hands the declared length to the service without checking it against the body.
        var problem = await AssertProblem(HttpStatusCode.RequestEntityTooLarge, "/v1/detect", content, "larger than the limit of 1048576 bytes");
        Assert.Equal("request body too large", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public Task ABodyStreamedWithoutALengthIsCutAtTheLimit()
    {
        var content = new StreamContent(new ZeroStream(UploadLimit * 3));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return AssertProblem(HttpStatusCode.RequestEntityTooLarge, "/v1/detect", content, "larger than the limit");
    }

    [Fact]
    public Task AMultipartFileAboveTheLimitIsRefused()
    {
        var form = new MultipartFormDataContent { { Body(new byte[UploadLimit + 1]), "image", "big.jpg" } };
        return AssertProblem(HttpStatusCode.RequestEntityTooLarge, "/v1/detect", form, "larger than the limit");
    }

    [Fact]
    public Task AnImageDeclaringTenGigapixelsIsRefusedFromItsHeader() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", Body(HostileImages.PngDeclaring(100_000, 100_000), "image/png"), "100000×100000 pixels");

    [Theory]
    [InlineData("text/plain", "Content-Type 'text/plain'")]
    [InlineData("application/json", "Content-Type 'application/json'")]
    [InlineData(null, "no Content-Type")]
    public Task AnotherContentTypeIsUnsupported(string? contentType, string detail) =>
        AssertProblem(HttpStatusCode.UnsupportedMediaType, "/v1/detect", Body(SampleBytes, contentType), detail);

    [Fact]
    public Task TheBatchEndpointTakesOnlyForms() =>
        AssertProblem(HttpStatusCode.UnsupportedMediaType, "/v1/detect/batch", Body(SampleBytes), "expected multipart/form-data");

    [Theory]
    [InlineData("conf=NaN", "query option 'conf': expected a number, got 'NaN'")]
    [InlineData("conf=Infinity", "query option 'conf': expected a number")]
    [InlineData("conf=1.5", "query option 'conf': conf-threshold: must be in [0, 1), got 1.5")]
    [InlineData("nms=0", "query option 'nms': nms-threshold: must be in (0, 1]")]
    [InlineData("nms=nan", "query option 'nms': expected a number")]
    [InlineData("top_k=abc", "query option 'top_k': expected an integer, got 'abc'")]
    [InlineData("top_k=0", "query option 'top_k': top-k: must be at least 1")]
    [InlineData("max_detections=-3", "query option 'max_detections': max-detections: must be at least 1")]
    [InlineData("max_detections=99999999999", "query option 'max_detections': expected an integer")]
    [InlineData("tta=yes", "query option 'tta': expected true or false, got 'yes'")]
    [InlineData("tta=true&tta=false", "query option 'tta': given 2 times")]
    [InlineData("confidence=0.5", "query option 'confidence': unknown option; expected conf, nms, top_k, max_detections, tta")]
    [InlineData("conf=0.2&conf=0.3", "query option 'conf': given 2 times")]
    public Task BadOptionsAreRefusedNamingTheOption(string query, string detail) =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect?" + query, Body(SampleBytes), detail);

    [Fact]
    public Task AFormWithoutAFileIsRefused() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", new MultipartFormDataContent { { new StringContent("0.5"), "conf" } },
            "form field 'conf' is not a file; detection options go in the query string");

    [Fact]
    public Task AFileInAnotherFieldIsRefused() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", new MultipartFormDataContent { { Body(SampleBytes), "picture", "a.jpg" } },
            "expected exactly one file, in the field 'image'");

    [Fact]
    public Task AnEmptyFormIsRefused()
    {
        var content = Body(Encoding.ASCII.GetBytes("--b--\r\n"), "multipart/form-data; boundary=b");
        return AssertProblem(HttpStatusCode.BadRequest, "/v1/detect/batch", content, "no file in the form");
    }

    [Fact]
    public Task AFormWithoutABoundaryIsRefused() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", Body(SampleBytes, "multipart/form-data"), "multipart/form-data without a boundary");

    [Fact]
    public Task AMalformedFormIsRefused() =>
        AssertProblem(HttpStatusCode.BadRequest, "/v1/detect", Body(Encoding.ASCII.GetBytes("--b\r\nno headers end"), "multipart/form-data; boundary=b"), "malformed multipart body");

    [Fact]
    public async Task ABadFileInABatchIsNamed()
    {
        var form = new MultipartFormDataContent
        {
            { Body(SampleBytes), "images", "good.jpg" },
            { Body(Encoding.UTF8.GetBytes("not an image")), "images", "notes.jpg" },
        };
        await AssertProblem(HttpStatusCode.BadRequest, "/v1/detect/batch", form, "notes.jpg: not a recognised image");
    }

    [Fact]
    public async Task MoreFilesThanTheQueueHoldsAreRefused()
    {
        var form = new MultipartFormDataContent();
        for (int i = 0; i < 5; i++) form.Add(Body(SampleBytes[..100]), "images", $"{i}.jpg");
        await AssertProblem(HttpStatusCode.BadRequest, "/v1/detect/batch", form, "5 images in one request; the queue holds 4");
    }

    [Fact]
    public async Task WithTtaEachImageTakesTwoPlacesInTheQueue()
    {
        var form = new MultipartFormDataContent();
        for (int i = 0; i < 3; i++) form.Add(Body(SampleBytes[..100]), "images", $"{i}.jpg");
        await AssertProblem(HttpStatusCode.BadRequest, "/v1/detect/batch?tta=1", form,
            "3 images and their mirror images (tta) in one request; the queue holds 4");
    }

    [Fact]
    public async Task UnknownPathsAndMethodsAreProblemsToo()
    {
        var missing = await _service.Client.GetAsync("/v2/detect");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var method = await _service.Client.GetAsync("/v1/detect");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("application/problem+json", method.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A body of zeros of a given length that declares no length (sent chunked).</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
